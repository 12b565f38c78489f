package org.callchain.phone.internal.jainsip;

import java.util.Properties;

/**
 * Every property this phone sets on the JAIN-SIP RI stack, in one place, each with the reason.
 * docs/sip.md repeats this table for operators.
 */
final class StackProperties {
  /** Threads that parse UDP messages and run the listener ({@code THREAD_POOL_SIZE}). */
  static final int UDP_WORKER_THREADS = 4;

  /**
   * Heap a lingering server transaction holds (request, last response, dialog, timers): 60 MB live
   * for 7,042 of them in a phone answering SIPp at 90 calls/s (GC.class_histogram), ~8.6 KB each.
   */
  private static final long BYTES_PER_SERVER_TRANSACTION = 8 * 1024;

  private StackProperties() {}

  static Properties forPhone(String stackName) {
    Properties p = new Properties();
    // One stack per phone; the RI keys its stacks by name, so two phones in one JVM (tests, demo)
    // must not share one.
    p.setProperty("javax.sip.STACK_NAME", stackName);
    // Dialogs are created explicitly by the handlers: the phone decides (admission, 401
    // challenge, 488) before a dialog exists, and to-tags are ours.
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    // Stack logging goes to SLF4J (logger "org.callchain.phone.sip"), never to log4j files.
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    // The listener runs on the UDP/TCP worker threads themselves. With a non-reentrant listener
    // the RI hands every event to one EventScanner thread through an unbounded list: under a
    // flood that list filled the heap and the OutOfMemoryError ended the scanner, after which no
    // event reached the phone again. Reentrant, the bounded receive queue (SupervisedUdpProcessor)
    // is the only queue, and the workers' parsing and the handlers share the cores. The handlers
    // are thread-safe: each call has its own lock, and out-of-order events of one call (a 180
    // after the 200, an ACK after the BYE) are ignored by its state.
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", String.valueOf(UDP_WORKER_THREADS));
    // UDP listening points whose receive queue is bounded and whose reader survives an
    // OutOfMemoryError (SupervisedUdpProcessor); the RI's own would leave the phone deaf.
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY",
        SupervisedUdpProcessorFactory.class.getName());
    // The RI's congestion auditor would watch the queue SupervisedUdpProcessor replaces; the
    // bounded queue is the congestion control.
    p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "0");
    // Kernel buffer for bursts (SIPp sends in bursts at each rate tick); capped by rmem_max.
    p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", String.valueOf(1 << 20));
    // Reuse TCP connections both ways (RFC 3261 §18: responses go back on the request's
    // connection; in-dialog requests reuse it when the peer is behind NAT).
    p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
    p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
    // Refuse what the RI parser would silently repair (wrong SIP version, repeated CSeq...):
    // RFC 4475 §3.1.2.16, §3.3.8. See StrictMessageParser.
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParserFactory.class.getName());
    // A hard cap on one message, kept with RequestScreen's 513 limit: the reader's buffer is this
    // size, and a larger message over TCP is dropped with its connection.
    p.setProperty(
        "gov.nist.javax.sip.MAX_MESSAGE_SIZE",
        String.valueOf(RequestScreen.STACK_MAX_MESSAGE_BYTES));
    // Transactions linger 64*T1 = 32 s (Timer H/J, RFC 3261 §17.2): at 1,000 calls/s that is
    // ~32,000 BYE transactions. Past 80 % of this limit the RI refuses new server transactions
    // (the dispatcher answers 503), so the table can never take more than about half the heap.
    p.setProperty(
        "gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS",
        String.valueOf(serverTransactionLimit(Runtime.getRuntime().maxMemory())));
    p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "100000");
    // REFER's implicit subscription lives inside the INVITE dialog (RFC 3515 §2.4.4); its
    // NOTIFYs must reach the listener even though no SUBSCRIBE created them.
    p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
    // A 2xx ACK is part of the dialog, not a transaction: nothing to report when it "ends".
    p.setProperty("gov.nist.javax.sip.DELIVER_TERMINATED_EVENT_FOR_ACK", "false");
    // The default timer is one java.util.Timer (a synchronized heap): every transaction schedules
    // several tasks, so at hundreds of calls/s a ScheduledThreadPoolExecutor scales better.
    p.setProperty(
        "gov.nist.javax.sip.TIMER_CLASS_NAME",
        "gov.nist.javax.sip.stack.timers.ScheduledExecutorSipTimer");
    // Copies of an initial INVITE that no transaction can absorb are dropped instead of drawing a
    // 482 from the RI's merged-request check (InviteCopyFilter).
    p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", InviteCopyFilter.class.getName());
    // No forking support: the first 2xx wins, later ones are ACKed and BYEd by the stack.
    p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
    return p;
  }

  /** Half the heap's worth of lingering transactions, between 2,000 and 100,000. */
  static int serverTransactionLimit(long maxHeapBytes) {
    long n = maxHeapBytes / 2 / BYTES_PER_SERVER_TRANSACTION;
    return (int) Math.max(2_000, Math.min(100_000, n));
  }
}
