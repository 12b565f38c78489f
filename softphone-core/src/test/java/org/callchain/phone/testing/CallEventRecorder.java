package org.callchain.phone.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallListener;
import org.callchain.phone.CallState;
import org.callchain.phone.RegistrationEvent;
import org.callchain.phone.RegistrationListener;

/**
 * Records the call and registration events of a phone and lets a test wait, with a bound, for the
 * one it expects.
 */
public final class CallEventRecorder implements CallListener, RegistrationListener {
  private final List<CallEvent> events = new ArrayList<>();
  private final List<RegistrationEvent> registrations = new ArrayList<>();

  @Override
  public synchronized void onEvent(CallEvent event) {
    events.add(event);
    notifyAll();
  }

  @Override
  public synchronized void onRegistration(RegistrationEvent event) {
    registrations.add(event);
    notifyAll();
  }

  public synchronized List<CallEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<RegistrationEvent> registrations() {
    return List.copyOf(registrations);
  }

  /** Waits for the first event (recorded so far or later) that matches. */
  public <T extends CallEvent> T await(Class<T> type, Predicate<T> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        for (CallEvent e : events) {
          if (type.isInstance(e) && match.test(type.cast(e))) {
            return type.cast(e);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no " + type.getSimpleName() + " within " + timeout + "; saw " + describe());
        }
        waitNanos(left);
      }
    }
  }

  public <T extends CallEvent> T await(Class<T> type, Duration timeout) {
    return await(type, e -> true, timeout);
  }

  /** Waits for the next incoming call. */
  public Call awaitIncoming(Duration timeout) {
    return await(CallEvent.Incoming.class, timeout).call();
  }

  /** Waits until {@code call} reaches {@code state}. */
  public void awaitState(Call call, CallState state, Duration timeout) {
    await(
        CallEvent.StateChanged.class,
        e -> e.call().id().equals(call.id()) && e.current() == state,
        timeout);
  }

  /** Waits for a registration event that matches, recorded at any time since the last clear. */
  public RegistrationEvent awaitRegistration(Predicate<RegistrationEvent> match, Duration timeout) {
    return awaitRegistrationAfter(null, match, timeout);
  }

  /**
   * Waits for a registration event that matches and was recorded after {@code earlier} (an event
   * this recorder returned; null: any). A REGISTER already in flight when a test changes the
   * registrar's answers can report its result after the clear; waiting for what follows an observed
   * event keeps such a late answer from satisfying the wait.
   */
  public RegistrationEvent awaitRegistrationAfter(
      RegistrationEvent earlier, Predicate<RegistrationEvent> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        int from = earlier == null ? 0 : indexOf(earlier) + 1;
        if (earlier != null && from == 0) {
          throw new AssertionError(earlier + " was not recorded (or was cleared)");
        }
        for (int i = from; i < registrations.size(); i++) {
          RegistrationEvent e = registrations.get(i);
          if (match.test(e)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching registration event; saw " + registrations);
        }
        waitNanos(left);
      }
    }
  }

  private int indexOf(RegistrationEvent event) {
    for (int i = 0; i < registrations.size(); i++) {
      if (registrations.get(i) == event) {
        return i;
      }
    }
    return -1;
  }

  /** Forgets what was recorded so that a later wait sees only new events. */
  public synchronized void clear() {
    events.clear();
    registrations.clear();
  }

  private void waitNanos(long nanos) {
    try {
      wait(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  private String describe() {
    List<String> names = new ArrayList<>();
    for (CallEvent e : events) {
      names.add(
          e instanceof CallEvent.StateChanged s
              ? "StateChanged(" + s.previous() + "->" + s.current() + ")"
              : e.getClass().getSimpleName());
    }
    return names.toString();
  }
}
