package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.callchain.media.MediaDirection;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.internal.jainsip.ScriptedSipPeer.Message;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offer/answer shapes a second Callchain phone never produces, played by a {@link ScriptedSipPeer}:
 * early media in a 183 (RFC 3261 §13.2.1) and an INVITE without SDP whose offer comes in our 200
 * and answer in the ACK (RFC 3264 §4, RFC 3261 §13.2.1).
 */
class RawPeerIT {
  private static final Duration T = Duration.ofSeconds(5);
  private static final String PEER_SDP =
      "v=0\r\no=- 7 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 40000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
  private static TestPhones phones;
  private static TestPhone alice;

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    alice = phones.start("alice");
    alice
        .phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in) {
                in.call().answer();
              }
            });
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  @Test
  void earlyMediaFrom183IsAppliedAndTheCallCompletes() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      Call call = alice.phone().call(peer.uri("raw"), CallOptions.defaults());
      Message invite = peer.receiveRequest("INVITE");
      peer.send(invite, peer.reply(invite, "183 Session Progress", "peer1", PEER_SDP));
      alice.events().awaitState(call, CallState.RINGING, T);
      CallEvent.MediaChanged early =
          alice.events().await(CallEvent.MediaChanged.class, e -> e.call() == call, T);
      assertThat(early.media().codec().encodingName()).isEqualTo("PCMA");
      assertThat(early.media().remoteRtp().getPort()).isEqualTo(40000);
      peer.send(invite, peer.reply(invite, "200 OK", "peer1", PEER_SDP));
      alice.events().awaitState(call, CallState.ESTABLISHED, T);
      peer.receiveRequest("ACK");
      call.hangup();
      Message bye = peer.receiveRequest("BYE");
      peer.send(bye, peer.reply(bye, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }

  @Test
  void inviteWithoutSdpGetsOurOfferAndTheAnswerInAck() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      int port = alice.phone().sipPort();
      String target = "sip:alice@127.0.0.1:" + port;
      String callId = "late-offer-" + System.nanoTime();
      String from = "<" + peer.uri("raw") + ">;tag=raw1";
      peer.sendTo(
          port,
          peer.request(
              "INVITE",
              target,
              from,
              "<sip:alice@127.0.0.1>",
              callId,
              "1 INVITE",
              "inv-" + callId,
              null));
      Message ok = peer.receiveFinal("1 INVITE");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.text()).contains("m=audio ").contains("a=sendrecv");
      peer.sendTo(
          port,
          peer.request(
              "ACK", target, from, ok.header("To"), callId, "1 ACK", "ack-" + callId, PEER_SDP));
      CallEvent.MediaChanged media =
          alice.events().await(CallEvent.MediaChanged.class, e -> e.call().id().equals(callId), T);
      assertThat(media.media().codec().encodingName()).isEqualTo("PCMA");
      assertThat(media.media().direction()).isEqualTo(MediaDirection.SENDRECV);
      Call call = media.call();
      alice.events().awaitState(call, CallState.ESTABLISHED, T);
      call.hangup();
      Message bye = peer.receiveRequest("BYE");
      peer.send(bye, peer.reply(bye, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }
}
