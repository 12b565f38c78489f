package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaEngines;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.testing.CallEventRecorder;
import org.junit.jupiter.api.Test;

/**
 * The SIP layer driving the real RTP engine: the ports in the SDP are the engine's, audio flows
 * both ways, RFC 4733 DTMF sent by one phone arrives as a call event at the other, and a held
 * call's direction reaches the engine.
 */
class RealMediaCallIT {
  private static final Duration T = Duration.ofSeconds(8);

  private static MediaEngine engine(String codecs) throws Exception {
    return MediaEngines.rtp(
        MediaConfig.builder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .portRange(50000, 51999)
            .codecs(codecs)
            .source(new AudioSourceSpec.Tone(440))
            .sink(new AudioSinkSpec.Discard())
            .build());
  }

  private static Phone phone(String user, MediaEngine media, CallEventRecorder events)
      throws Exception {
    Phone p =
        Phone.start(
            PhoneConfig.builder()
                .bindAddress("127.0.0.1")
                .sipPort(0)
                .user(user)
                .mediaEngine(media)
                .build());
    p.addCallListener(events);
    return p;
  }

  @Test
  void audioAndDtmfFlowBetweenTwoPhones() throws Exception {
    CallEventRecorder aliceEvents = new CallEventRecorder();
    CallEventRecorder bobEvents = new CallEventRecorder();
    try (MediaEngine aliceMedia = engine("PCMU,PCMA");
        MediaEngine bobMedia = engine("PCMA,PCMU");
        Phone alice = phone("alice", aliceMedia, aliceEvents);
        Phone bob = phone("bob", bobMedia, bobEvents)) {
      Call out = alice.call(bob.localUri(), CallOptions.defaults());
      Call in = bobEvents.awaitIncoming(T);
      in.answer();
      aliceEvents.awaitState(out, CallState.ESTABLISHED, T);
      bobEvents.awaitState(in, CallState.ESTABLISHED, T);
      // The answerer's preference wins (RFC 3264 §6.1): bob prefers PCMA.
      assertThat(out.media().orElseThrow().codec().encodingName()).isEqualTo("PCMA");
      Thread.sleep(600);
      out.sendDtmf('7');
      assertThat(bobEvents.await(CallEvent.DtmfReceived.class, e -> e.call() == in, T).digit())
          .isEqualTo('7');
      in.hold();
      aliceEvents.await(CallEvent.HoldChanged.class, e -> e.call() == out && e.remoteHold(), T);
      assertThat(out.media().orElseThrow().direction()).isEqualTo(MediaDirection.RECVONLY);
      in.resume();
      aliceEvents.await(CallEvent.HoldChanged.class, e -> e.call() == out && !e.remoteHold(), T);
      Thread.sleep(300);
      out.hangup();
      FinishedCall a = out.finished().get(8, TimeUnit.SECONDS);
      FinishedCall b = in.finished().get(8, TimeUnit.SECONDS);
      // Hold and resume kept the codec although alice prefers PCMU.
      assertThat(out.media().orElseThrow().codec().encodingName()).isEqualTo("PCMA");
      assertThat(a.media().codec()).isEqualToIgnoringCase("PCMA");
      assertThat(a.media().quality().packetsSent()).isPositive();
      assertThat(a.media().quality().packetsReceived()).isPositive();
      assertThat(b.media().quality().packetsReceived()).isPositive();
      assertThat(a.localRtpAddress()).isEqualTo(b.remoteRtpAddress());
    }
  }
}
