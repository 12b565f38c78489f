package org.callchain.phone.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.callchain.phone.Call;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.PhoneConfig;
import org.junit.jupiter.api.Test;

/**
 * Our phone against SIPp, an independent implementation of RFC 3261 that checks every message it
 * expects: built-in uac/uas scenarios and ours in {@code src/test/resources/sipp/}.
 */
class SippInteropIT {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private static InteropPhone phone(boolean autoAnswer) throws Exception {
    return InteropPhone.start(PhoneConfig.builder().user("callchain"), autoAnswer);
  }

  /** RFC 3261 §13.3: SIPp's uac calls, we answer at once, SIPp hangs up (BYE from the caller). */
  @Test
  void builtInUacCallsAreAnsweredByOurPhone() throws Exception {
    try (InteropPhone callee = phone(true)) {
      SippResult uac =
          Sipp.builtIn("uac").target(callee.address()).service("callchain").calls(5).run();
      assertThat(uac.allSuccessful(5)).as(uac.describe()).isTrue();
      List<FinishedCall> ended = callee.awaitEndedCalls(5, CALL_TIMEOUT);
      assertThat(ended)
          .allSatisfy(
              f -> {
                assertThat(f.direction()).isEqualTo(CallDirection.INCOMING);
                assertThat(f.disposition()).isEqualTo(CallDisposition.ANSWERED);
                assertThat(f.finalSipCode()).isEqualTo(200);
              });
      assertThat(callee.sinkRecords()).hasSize(5);
    }
  }

  /** RFC 3261 §13.2: we call SIPp's uas, it answers; we hang up and it sees our BYE. */
  @Test
  void ourPhoneCallsBuiltInUasAndHangsUp() throws Exception {
    try (InteropPhone caller = phone(false);
        Sipp.Running uas = Sipp.builtIn("uas").calls(1).start()) {
      Call call = caller.call("sip:service@" + uas.address());
      caller.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == call && e.current() == CallState.ESTABLISHED,
          CALL_TIMEOUT);
      call.hangup();
      FinishedCall record =
          call.finished().get(CALL_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      assertThat(record.disposition()).isEqualTo(CallDisposition.ANSWERED);
      SippResult result = uas.awaitResult();
      assertThat(result.allSuccessful(1)).as(result.describe()).isTrue();
    }
  }

  /** RFC 3261 §9.2: CANCEL of a ringing call gets 200, the INVITE 487, and the call ends. */
  @Test
  void sippCancelsWhileOurPhoneRings() throws Exception {
    try (InteropPhone callee = phone(false)) {
      SippResult uac =
          Sipp.scenario("sipp/uac-cancel-after-180.xml")
              .target(callee.address())
              .service("callchain")
              .calls(3)
              .rate(2, 1000)
              .run();
      assertThat(uac.allSuccessful(3)).as(uac.describe()).isTrue();
      List<FinishedCall> ended = callee.awaitEndedCalls(3, CALL_TIMEOUT);
      assertThat(ended)
          .allSatisfy(
              f -> {
                assertThat(f.disposition()).isEqualTo(CallDisposition.CANCELLED);
                assertThat(f.finalSipCode()).isEqualTo(487);
              });
      assertThat(callee.phone().activeCalls()).isEmpty();
    }
  }

  /**
   * RFC 3261 §12.1.1, §15.1.2: the caller's ACK and BYE go to our Contact (not just our address)
   * and we answer the BYE with 200.
   */
  @Test
  void callerHangsUpThroughOurContact() throws Exception {
    try (InteropPhone callee = phone(true)) {
      SippResult uac =
          Sipp.scenario("sipp/uac-caller-bye.xml")
              .target(callee.address())
              .service("callchain")
              .calls(3)
              .run();
      assertThat(uac.allSuccessful(3)).as(uac.describe()).isTrue();
      assertThat(callee.awaitEndedCalls(3, CALL_TIMEOUT))
          .extracting(FinishedCall::disposition)
          .containsOnly(CallDisposition.ANSWERED);
      assertThat(callee.media().openSessions()).isZero();
    }
  }

  /** RFC 3261 §15.1.2: the callee (SIPp) hangs up our call; we answer its BYE and end. */
  @Test
  void calleeHangsUpOurCall() throws Exception {
    try (InteropPhone caller = phone(false);
        Sipp.Running uas = Sipp.scenario("sipp/uas-answer-then-bye.xml").calls(1).start()) {
      Call call = caller.call("sip:sipp@" + uas.address());
      FinishedCall record =
          call.finished().get(CALL_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      assertThat(record.disposition()).isEqualTo(CallDisposition.ANSWERED);
      assertThat(record.answerMillis()).isPresent();
      SippResult result = uas.awaitResult();
      assertThat(result.allSuccessful(1)).as(result.describe()).isTrue();
    }
  }

  /** RFC 3264 §5: the RTP port in our SDP is real: SIPp echoes our packets back to it. */
  @Test
  void rtpEchoedBySippReachesTheAdvertisedPort() throws Exception {
    try (InteropPhone caller = phone(false);
        Sipp.Running uas = Sipp.builtIn("uas").rtpEcho().calls(1).start()) {
      Call call = caller.call("sip:service@" + uas.address());
      caller.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == call && e.current() == CallState.ESTABLISHED,
          CALL_TIMEOUT);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (caller.media().totalPacketsReceived() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      call.hangup();
      assertThat(caller.media().totalPacketsReceived()).isGreaterThanOrEqualTo(5);
      assertThat(uas.awaitResult().successful()).isEqualTo(1);
    }
  }

  /** Many calls in a row, over UDP and over one TCP connection: every one succeeds. */
  @Test
  void manyCallsInARowAllSucceedOverUdpAndTcp() throws Exception {
    try (InteropPhone callee = phone(true)) {
      SippResult udp =
          Sipp.builtIn("uac")
              .target(callee.address())
              .service("callchain")
              .calls(200)
              .rate(50, 1000)
              .limit(50)
              .timeout(Duration.ofSeconds(40))
              .run();
      assertThat(udp.allSuccessful(200)).as(udp.describe()).isTrue();
      SippResult tcp =
          Sipp.builtIn("uac")
              .target(callee.address())
              .service("callchain")
              .tcp()
              .calls(100)
              .rate(50, 1000)
              .limit(50)
              .timeout(Duration.ofSeconds(40))
              .run();
      assertThat(tcp.allSuccessful(100)).as(tcp.describe()).isTrue();
      assertThat(callee.awaitEndedCalls(300, CALL_TIMEOUT)).hasSize(300);
      assertThat(callee.phone().activeCalls()).isEmpty();
    }
  }
}
