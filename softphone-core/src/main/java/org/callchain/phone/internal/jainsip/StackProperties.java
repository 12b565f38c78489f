package org.callchain.phone.internal.jainsip;

import java.util.Properties;

/**
 * Every property this phone sets on the JAIN-SIP RI stack, in one place, each with the reason.
 * docs/sip.md repeats this table for operators.
 */
final class StackProperties {
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
    // Events reach the listener one at a time; the handlers never block (admission runs on a
    // worker), so one listener thread is enough and keeps per-dialog ordering simple.
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
    // Reuse TCP connections both ways (RFC 3261 §18: responses go back on the request's
    // connection; in-dialog requests reuse it when the peer is behind NAT).
    p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
    p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
    // Refuse what the RI parser would silently repair (wrong SIP version, repeated CSeq...):
    // RFC 4475 §3.1.2.16, §3.3.8. See StrictMessageParser.
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParserFactory.class.getName());
    // A hard cap on one message; a larger (e.g. huge-header) message is dropped, not buffered.
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
    // At 1,000 calls/s transactions linger 32 s (Timer B/H/J): room for ~100,000 of them.
    p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "100000");
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
    // No forking support: the first 2xx wins, later ones are ACKed and BYEd by the stack.
    p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
    return p;
  }
}
