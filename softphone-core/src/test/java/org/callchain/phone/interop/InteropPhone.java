package org.callchain.phone.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.PhoneException;
import org.callchain.phone.RegistrationEvent;
import org.callchain.phone.RegistrationState;

/**
 * Our phone as the interop tests drive it: started through the public {@link Phone} API with a
 * {@link RtpCountingMediaEngine}, optionally answering every incoming call at once, and keeping
 * every call and registration event so that a test can wait for the one it expects (bounded).
 */
public final class InteropPhone implements AutoCloseable {
  private final Phone phone;
  private final RtpCountingMediaEngine media;
  private final List<CallEvent> callEvents = new ArrayList<>();
  private final List<RegistrationEvent> registrationEvents = new ArrayList<>();
  private final List<FinishedCall> finished = new ArrayList<>();
  private final List<FinishedCall> sinkRecords;
  private volatile boolean autoAnswer;

  private InteropPhone(
      Phone phone,
      RtpCountingMediaEngine media,
      List<FinishedCall> sinkRecords,
      boolean autoAnswer) {
    this.phone = phone;
    this.media = media;
    this.sinkRecords = sinkRecords;
    this.autoAnswer = autoAnswer;
  }

  /**
   * Starts a phone from {@code config} (its media engine is replaced by a counting one).
   *
   * @param autoAnswer answer every admitted incoming call with 200 at once
   */
  public static InteropPhone start(PhoneConfig.Builder config, boolean autoAnswer)
      throws PhoneException {
    RtpCountingMediaEngine media = new RtpCountingMediaEngine();
    List<FinishedCall> sinkTarget = new ArrayList<>();
    Phone phone;
    try {
      phone =
          Phone.start(
              config
                  .bindAddress("127.0.0.1")
                  .mediaEngine(media)
                  .finishedCallSink(
                      f -> {
                        synchronized (sinkTarget) {
                          sinkTarget.add(f);
                        }
                      })
                  .build());
    } catch (PhoneException | RuntimeException e) {
      media.close();
      throw e;
    }
    InteropPhone p = new InteropPhone(phone, media, sinkTarget, autoAnswer);
    phone.addCallListener(p::onCallEvent);
    phone.addRegistrationListener(p::onRegistration);
    return p;
  }

  public Phone phone() {
    return phone;
  }

  public RtpCountingMediaEngine media() {
    return media;
  }

  public int sipPort() {
    return phone.sipPort();
  }

  /** {@code 127.0.0.1:PORT}, the address SIPp sends to. */
  public String address() {
    return "127.0.0.1:" + phone.sipPort();
  }

  public String uri() {
    return phone.localUri();
  }

  public void autoAnswer(boolean on) {
    this.autoAnswer = on;
  }

  private void onCallEvent(CallEvent event) {
    if (autoAnswer && event instanceof CallEvent.Incoming incoming) {
      incoming.call().answer();
    }
    synchronized (callEvents) {
      if (event instanceof CallEvent.Ended ended) {
        finished.add(ended.record());
      }
      callEvents.add(event);
      callEvents.notifyAll();
    }
  }

  private void onRegistration(RegistrationEvent event) {
    synchronized (callEvents) {
      registrationEvents.add(event);
      callEvents.notifyAll();
    }
  }

  /**
   * The first call event of this type matching {@code condition}, waiting up to {@code timeout}.
   */
  public <T extends CallEvent> T awaitCallEvent(
      Class<T> type, Predicate<T> condition, Duration timeout) throws InterruptedException {
    return awaitIn(callEvents, type, condition, timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + type.getSimpleName()
                        + " within "
                        + timeout
                        + "; call events so far: "
                        + snapshot(callEvents)));
  }

  /**
   * The first registration event matching {@code condition} that arrived after index {@code from}.
   */
  public RegistrationEvent awaitRegistration(
      Predicate<RegistrationEvent> condition, int from, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (callEvents) {
      while (true) {
        for (int i = from; i < registrationEvents.size(); i++) {
          if (condition.test(registrationEvents.get(i))) {
            return registrationEvents.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "registration did not reach the expected state within "
                  + timeout
                  + "; events: "
                  + registrationEvents);
        }
        callEvents.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits until the phone reports {@code state}. */
  public void awaitRegistrationState(RegistrationState state, Duration timeout)
      throws InterruptedException {
    // The first events may come before our listener was added: the phone's own state counts too.
    long deadline = System.nanoTime() + timeout.toNanos();
    while (phone.registrationState() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "registration is "
                + phone.registrationState()
                + ", not "
                + state
                + ", after "
                + timeout
                + "; events: "
                + registrationEvents());
      }
      Thread.sleep(50);
    }
  }

  public int registrationEventCount() {
    synchronized (callEvents) {
      return registrationEvents.size();
    }
  }

  public List<RegistrationEvent> registrationEvents() {
    synchronized (callEvents) {
      return List.copyOf(registrationEvents);
    }
  }

  /** Records of ended calls, in the order they ended. */
  public List<FinishedCall> endedCalls() {
    synchronized (callEvents) {
      return List.copyOf(finished);
    }
  }

  /** Records the finished-call sink received (the SPI path rather than the event path). */
  public List<FinishedCall> sinkRecords() {
    synchronized (sinkRecords) {
      return List.copyOf(sinkRecords);
    }
  }

  /** Waits until {@code n} calls have ended. */
  public List<FinishedCall> awaitEndedCalls(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (callEvents) {
      while (finished.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              finished.size() + " of " + n + " calls ended within " + timeout + ": " + finished);
        }
        callEvents.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(finished);
    }
  }

  /** Places a call with default options. */
  public Call call(String uri) throws PhoneException {
    return phone.call(uri, org.callchain.phone.CallOptions.defaults());
  }

  private <T> Optional<T> awaitIn(
      List<CallEvent> list, Class<T> type, Predicate<T> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (callEvents) {
      while (true) {
        for (CallEvent e : list) {
          if (type.isInstance(e) && condition.test(type.cast(e))) {
            return Optional.of(type.cast(e));
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        callEvents.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private String snapshot(List<?> list) {
    synchronized (callEvents) {
      return list.toString();
    }
  }

  @Override
  public void close() {
    try {
      phone.close();
    } finally {
      media.close();
    }
  }
}
