package org.callchain.phone.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.PhoneConfig;
import org.junit.jupiter.api.Test;

/**
 * Our phone and baresip, a complete independent softphone (libre/librem SIP stack), calling each
 * other directly on loopback, each side answering automatically.
 */
class BaresipInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** baresip calls, we answer, media flows from baresip to our RTP port, baresip hangs up. */
  @Test
  void baresipCallsUsAndHangsUp() throws Exception {
    try (InteropPhone us = InteropPhone.start(PhoneConfig.builder().user("callchain"), true);
        Baresip baresip = Baresip.start()) {
      baresip.dial(us.uri());
      baresip.awaitEvent("CALL_ESTABLISHED", WAIT);
      us.awaitCallEvent(
          CallEvent.StateChanged.class, e -> e.current() == CallState.ESTABLISHED, WAIT);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (us.media().totalPacketsReceived() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(us.media().totalPacketsReceived())
          .as("RTP from baresip's tone generator at our advertised port")
          .isGreaterThanOrEqualTo(5);
      baresip.hangup();
      FinishedCall record = us.awaitEndedCalls(1, WAIT).get(0);
      assertThat(record.direction()).isEqualTo(CallDirection.INCOMING);
      assertThat(record.disposition()).isEqualTo(CallDisposition.ANSWERED);
      baresip.awaitEvent("CALL_CLOSED", WAIT);
    }
  }

  /** We call baresip, it answers by itself, we hang up and baresip sees the BYE. */
  @Test
  void weCallBaresipAndHangUp() throws Exception {
    try (InteropPhone us = InteropPhone.start(PhoneConfig.builder().user("callchain"), false);
        Baresip baresip = Baresip.start()) {
      Call call = us.call(baresip.uri());
      us.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == call && e.current() == CallState.ESTABLISHED,
          WAIT);
      BaresipControl.Event established = baresip.awaitEvent("CALL_ESTABLISHED", WAIT);
      assertThat(established.direction()).isEqualTo("incoming");
      call.hangup();
      FinishedCall record = call.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(record.disposition()).isEqualTo(CallDisposition.ANSWERED);
      baresip.awaitEvent("CALL_CLOSED", WAIT);
    }
  }

  /** baresip hangs up a call we placed: we answer its BYE and record the call as answered. */
  @Test
  void baresipHangsUpACallWePlaced() throws Exception {
    try (InteropPhone us = InteropPhone.start(PhoneConfig.builder().user("callchain"), false);
        Baresip baresip = Baresip.start()) {
      Call call = us.call(baresip.uri());
      baresip.awaitEvent("CALL_ESTABLISHED", WAIT);
      us.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == call && e.current() == CallState.ESTABLISHED,
          WAIT);
      baresip.hangup();
      FinishedCall record = call.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(record.disposition()).isEqualTo(CallDisposition.ANSWERED);
      assertThat(record.answerMillis()).isPresent();
    }
  }
}
