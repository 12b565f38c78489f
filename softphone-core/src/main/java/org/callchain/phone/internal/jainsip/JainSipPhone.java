package org.callchain.phone.internal.jainsip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallListener;
import org.callchain.phone.CallOptions;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.PhoneException;
import org.callchain.phone.RegistrationEvent;
import org.callchain.phone.RegistrationListener;
import org.callchain.phone.RegistrationState;
import org.callchain.phone.Transport;
import org.callchain.phone.spi.FinishedCallSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a JAIN-SIP {@link SipStack}: it creates the stack ({@link StackProperties}), its
 * listening points (the same port on every transport) and its single {@link SipProvider}, registers
 * the {@link SipDispatcher}, and keeps the live calls by Call-ID. Listener callbacks run on one
 * event thread so that a UI or CLI sees events in order.
 */
public final class JainSipPhone implements Phone {
  private static final Logger LOG = LoggerFactory.getLogger(JainSipPhone.class);
  private static final AtomicInteger STACKS = new AtomicInteger();

  /** How long close() waits for the un-REGISTER to be answered (with one digest challenge). */
  private static final long UNREGISTER_BUDGET_MILLIS = 4000;

  private final PhoneConfig config;
  private final SipStack stack;
  private final SipProvider provider;
  private final SipMessages sip;
  private final Map<String, JainSipCall> calls = new ConcurrentHashMap<>();
  private final List<CallListener> callListeners = new CopyOnWriteArrayList<>();
  private final List<RegistrationListener> registrationListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService events;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final RegistrationClient registration;
  private final InboundDigestGuard inboundGuard;
  private final AtomicInteger pendingAdmissions = new AtomicInteger();
  private final int serverTransactionLimit;
  private volatile boolean closed;

  /**
   * New INVITEs waiting for the admission hook; beyond this a new INVITE gets 503 at once, so a
   * flood cannot queue calls (and their heap) without bound behind a slow hook.
   */
  static final int MAX_PENDING_ADMISSIONS = 500;

  private JainSipPhone(PhoneConfig config, SipStack stack, SipProvider provider, SipMessages sip) {
    this.config = config;
    this.stack = stack;
    this.provider = provider;
    this.sip = sip;
    this.serverTransactionLimit =
        StackProperties.serverTransactionLimit(Runtime.getRuntime().maxMemory());
    String name = "callchain-sip-" + config.user() + "-" + sip.port();
    this.events = Executors.newSingleThreadExecutor(daemon(name + "-events"));
    this.workers = Executors.newFixedThreadPool(2, daemon(name + "-admission"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon(name + "-timers"));
    this.registration =
        config.registration().map(a -> new RegistrationClient(this, a)).orElse(null);
    this.inboundGuard = config.inboundChallenge().map(InboundDigestGuard::new).orElse(null);
  }

  /** Binds the transports and starts the stack; see {@link Phone#start(PhoneConfig)}. */
  public static Phone start(PhoneConfig config) throws PhoneException {
    try {
      InetAddress.getByName(config.bindAddress());
    } catch (IOException e) {
      throw new PhoneException("not a usable bind address: " + config.bindAddress(), e);
    }
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    String stackName = "callchain-" + STACKS.incrementAndGet();
    SipStack stack;
    try {
      // The RI's stack with CANCELs matched by one lookup (CancelMatchingSipStack, ADR 0098).
      stack = new CancelMatchingSipStack(StackProperties.forPhone(stackName));
    } catch (Exception e) {
      throw new PhoneException("cannot create the SIP stack: " + e.getMessage(), e);
    }
    int attempts = config.sipPort() == 0 ? 8 : 1;
    PhoneException last = null;
    for (int i = 0; i < attempts; i++) {
      int port = config.sipPort() == 0 ? freePort(config.bindAddress()) : config.sipPort();
      List<ListeningPoint> points = new ArrayList<>();
      try {
        for (Transport t : config.transports()) {
          points.add(stack.createListeningPoint(config.bindAddress(), port, t.token()));
        }
        SipProvider provider = stack.createSipProvider(points.get(0));
        for (int k = 1; k < points.size(); k++) {
          provider.addListeningPoint(points.get(k));
        }
        SipMessages sip = new SipMessages(factory, config, port);
        JainSipPhone phone = new JainSipPhone(config, stack, provider, sip);
        provider.addSipListener(new SipDispatcher(phone));
        stack.start();
        LOG.debug(
            "SIP phone {} listening on {}:{} {}",
            config.user(),
            config.bindAddress(),
            port,
            config.transports());
        if (phone.registration != null) {
          phone.registration.start();
        }
        return phone;
      } catch (Exception e) {
        for (ListeningPoint p : points) {
          try {
            stack.deleteListeningPoint(p);
          } catch (Exception ignored) {
            // The point may never have bound; nothing else to release.
          }
        }
        last =
            new PhoneException(
                "cannot listen for SIP on "
                    + config.bindAddress()
                    + ":"
                    + port
                    + ": "
                    + rootReason(e),
                e);
      }
    }
    stack.stop();
    throw last;
  }

  /** The innermost cause's message, without exception class names, for a one-line error. */
  private static String rootReason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    // JAIN-SIP wraps causes as "java.net.BindException: Address already in use".
    return m.replaceAll("^([a-z]+\\.)+[A-Za-z]+(Exception|Error): ", "");
  }

  private static int freePort(String bind) throws PhoneException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new PhoneException("no free port on " + bind + ": " + e.getMessage(), e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public Call call(String targetUri, CallOptions options) throws PhoneException {
    if (closed) {
      throw new PhoneException("the phone is closed");
    }
    return OutgoingLeg.start(this, targetUri, options);
  }

  @Override
  public List<Call> activeCalls() {
    return List.copyOf(calls.values());
  }

  @Override
  public void addCallListener(CallListener listener) {
    callListeners.add(listener);
  }

  @Override
  public void removeCallListener(CallListener listener) {
    callListeners.remove(listener);
  }

  @Override
  public void addRegistrationListener(RegistrationListener listener) {
    registrationListeners.add(listener);
  }

  @Override
  public void removeRegistrationListener(RegistrationListener listener) {
    registrationListeners.remove(listener);
  }

  @Override
  public RegistrationState registrationState() {
    return registration == null ? RegistrationState.NONE : registration.state();
  }

  @Override
  public int sipPort() {
    return sip.port();
  }

  @Override
  public String localUri() {
    return "sip:" + config.user() + "@" + hostPort();
  }

  /** The address of record used as From: the registered one, else {@link #localUri()}. */
  String addressOfRecord() {
    return config.registration().map(a -> a.addressOfRecord()).orElse(localUri());
  }

  String hostPort() {
    String host =
        config.bindAddress().contains(":")
            ? "[" + config.bindAddress() + "]"
            : config.bindAddress();
    return host + ":" + sip.port();
  }

  @Override
  public PhoneConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (JainSipCall call : List.copyOf(calls.values())) {
      call.hangupQuietly();
    }
    long deadline = System.currentTimeMillis() + 2000;
    while (!calls.isEmpty() && System.currentTimeMillis() < deadline) {
      sleep(20);
    }
    if (registration != null) {
      // Its own budget, counted from now: calls slow to hang up must not eat the un-REGISTER's
      // time (a digest challenge costs it a second round trip, RFC 3261 §22.2).
      registration.unregister(System.currentTimeMillis() + UNREGISTER_BUDGET_MILLIS);
    }
    for (JainSipCall call : List.copyOf(calls.values())) {
      call.abandon();
    }
    timers.shutdownNow();
    workers.shutdownNow();
    events.shutdown();
    try {
      events.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stack.stop();
    LOG.debug("SIP phone {} on port {} stopped", config.user(), sip.port());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- collaborators for the handlers and calls of this package ----

  SipProvider provider() {
    return provider;
  }

  SipMessages sip() {
    return sip;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  ExecutorService workers() {
    return workers;
  }

  /** Reserves a place for one admission decision; false when {@link #MAX_PENDING_ADMISSIONS}. */
  boolean reserveAdmission() {
    if (pendingAdmissions.incrementAndGet() > MAX_PENDING_ADMISSIONS) {
      pendingAdmissions.decrementAndGet();
      return false;
    }
    return true;
  }

  void admissionDone() {
    pendingAdmissions.decrementAndGet();
  }

  /** The RI refuses new server transactions past 80 % of its limit (SipStackImpl). */
  boolean serverTransactionsNearLimit() {
    return ((gov.nist.javax.sip.stack.SIPTransactionStack) stack).getServerTransactionTableSize()
        >= serverTransactionLimit * 8L / 10;
  }

  InboundDigestGuard inboundGuard() {
    return inboundGuard;
  }

  RegistrationClient registration() {
    return registration;
  }

  boolean isClosed() {
    return closed;
  }

  JainSipCall find(String callId) {
    return callId == null ? null : calls.get(callId);
  }

  void track(JainSipCall call) {
    calls.put(call.id(), call);
  }

  /** Delivers a call event to the call's own listeners and then the phone's, in order. */
  void fire(CallEvent event) {
    JainSipCall call = (JainSipCall) event.call();
    runOnEventThread(
        () -> {
          for (CallListener l : call.listeners()) {
            deliver(l, event);
          }
          for (CallListener l : callListeners) {
            deliver(l, event);
          }
        });
  }

  private static void deliver(CallListener l, CallEvent event) {
    try {
      l.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("a call listener failed on {}", event.getClass().getSimpleName(), e);
    }
  }

  void fireRegistration(RegistrationEvent event) {
    runOnEventThread(
        () -> {
          for (RegistrationListener l : registrationListeners) {
            try {
              l.onRegistration(event);
            } catch (RuntimeException e) {
              LOG.warn("a registration listener failed", e);
            }
          }
        });
  }

  /** Removes an ended call and hands its record to the sinks, on the event thread. */
  void ended(JainSipCall call, FinishedCall record) {
    calls.remove(call.id(), call);
    runOnEventThread(
        () -> {
          for (FinishedCallSink sink : config.finishedCallSinks()) {
            try {
              sink.callFinished(record);
            } catch (RuntimeException e) {
              LOG.warn("a finished-call sink failed for {}", record.callId(), e);
            }
          }
        });
    fire(new CallEvent.Ended(call, record));
    runOnEventThread(() -> call.complete(record));
  }

  private void runOnEventThread(Runnable r) {
    try {
      events.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The phone is closing; run inline so the last events (Ended) are not lost.
      r.run();
    }
  }
}
