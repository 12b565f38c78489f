package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callchain.phone.internal.jainsip.ScriptedSipPeer.sdp;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.internal.jainsip.ScriptedSipPeer.Message;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CANCEL against a phone (RFC 3261 §9.2), sent message by message by a scripted UDP peer: the
 * CANCEL is matched to its INVITE server transaction by the top Via branch and sent-by
 * (CancelMatchingSipStack), whatever else shares its Call-ID. Calls whose Call-ID starts with
 * {@code answer-} are answered, the others ring until cancelled.
 */
class CancelMatchingIT {
  private static final Duration T = Duration.ofSeconds(10);
  private static TestPhones phones;
  private static TestPhone bob;

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    bob = phones.start("bob");
    bob.phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in && in.call().id().startsWith("answer-")) {
                in.call().answer();
              }
            });
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  /** One call from the scripted peer: its INVITE's fields, for the CANCEL that must repeat them. */
  private record Dialing(ScriptedSipPeer peer, String callId, String from, String branch) {
    String invite() {
      return peer.request(
          "INVITE",
          bob.uri(),
          from,
          "<" + bob.uri() + ">",
          callId,
          "1 INVITE",
          branch,
          sdp(1, 40000, "sendrecv"));
    }

    /**
     * The CANCEL of §9.1: Request-URI, Call-ID, To, From, CSeq number and top Via of the INVITE.
     */
    String cancel(String viaBranch) {
      return peer.request(
          "CANCEL", bob.uri(), from, "<" + bob.uri() + ">", callId, "1 CANCEL", viaBranch, null);
    }

    /** ACK of a non-2xx final response (§17.1.1.3): the INVITE's branch, the response's To. */
    String ackOf(Message response) {
      return peer.request(
          "ACK", bob.uri(), from, response.header("To"), callId, "1 ACK", branch, null);
    }
  }

  private static Dialing dial(ScriptedSipPeer peer, String callId) throws Exception {
    Dialing d =
        new Dialing(peer, callId, "<" + peer.uri("raw") + ">;tag=raw-" + callId, "inv-" + callId);
    peer.sendTo(bob.phone().sipPort(), d.invite());
    return d;
  }

  private static Message ringing(ScriptedSipPeer peer) throws Exception {
    return peer.receive(m -> m.isResponse() && m.status() == 180, "180 Ringing");
  }

  private static Message cancelResponse(ScriptedSipPeer peer) throws Exception {
    return peer.receive(m -> m.isResponse() && m.cseq().equals("1 CANCEL"), "response to CANCEL");
  }

  private static Call incoming(String callId) throws Exception {
    return bob.events()
        .await(CallEvent.Incoming.class, e -> e.call().id().equals(callId), T)
        .call();
  }

  @Test
  void cancelOfARingingCallGets200AndTheInvite487() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      Dialing d = dial(peer, "ring-" + System.nanoTime());
      ringing(peer);
      Call call = incoming(d.callId());

      peer.sendTo(bob.phone().sipPort(), d.cancel(d.branch()));
      assertThat(cancelResponse(peer).status()).isEqualTo(200);
      Message terminated = peer.receiveFinal("1 INVITE");
      assertThat(terminated.status()).isEqualTo(487);
      peer.send(terminated, d.ackOf(terminated));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.CANCELLED);
    }
  }

  @Test
  void cancelThatMatchesNoTransactionGets481() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      String callId = "unknown-" + System.nanoTime();
      Dialing never = new Dialing(peer, callId, "<" + peer.uri("raw") + ">;tag=x", "inv-" + callId);
      peer.sendTo(bob.phone().sipPort(), never.cancel(never.branch()));
      assertThat(cancelResponse(peer).status()).isEqualTo(481);
    }
  }

  @Test
  void cancelWithTheCallIdButAnotherBranchGets481AndTheCallKeepsRinging() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      Dialing d = dial(peer, "branch-" + System.nanoTime());
      ringing(peer);
      Call call = incoming(d.callId());

      // Same Call-ID, From tag, To and CSeq number, but not the INVITE's branch: §9.2 matches
      // nothing, so the INVITE is not cancelled.
      peer.sendTo(bob.phone().sipPort(), d.cancel("other-" + d.callId()));
      assertThat(cancelResponse(peer).status()).isEqualTo(481);
      Optional<Message> finalResponse =
          peer.receiveWithin(
              m -> m.isResponse() && m.status() >= 200 && m.cseq().equals("1 INVITE"),
              Duration.ofSeconds(1));
      assertThat(finalResponse).isEmpty();
      assertThat(call.state()).isEqualTo(CallState.INCOMING);

      peer.sendTo(bob.phone().sipPort(), d.cancel(d.branch()));
      assertThat(cancelResponse(peer).status()).isEqualTo(200);
      Message terminated = peer.receiveFinal("1 INVITE");
      assertThat(terminated.status()).isEqualTo(487);
      peer.send(terminated, d.ackOf(terminated));
    }
  }

  @Test
  void retransmittedCancelIsAnsweredAgainAndTheInviteTerminatedOnce() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      Dialing d = dial(peer, "again-" + System.nanoTime());
      ringing(peer);
      Call call = incoming(d.callId());

      String cancel = d.cancel(d.branch());
      peer.sendTo(bob.phone().sipPort(), cancel);
      assertThat(cancelResponse(peer).status()).isEqualTo(200);
      Message terminated = peer.receiveFinal("1 INVITE");
      assertThat(terminated.status()).isEqualTo(487);
      peer.send(terminated, d.ackOf(terminated));

      // The same CANCEL again (its Timer E retransmission, §17.1.2.2): the CANCEL's server
      // transaction absorbs it and repeats its 200 (§17.2.2); the INVITE is not answered again.
      peer.sendTo(bob.phone().sipPort(), cancel);
      assertThat(cancelResponse(peer).status()).isEqualTo(200);
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.CANCELLED);
      Optional<Message> another =
          peer.receiveWithin(
              m -> m.isResponse() && m.status() >= 200 && m.cseq().equals("1 INVITE"),
              Duration.ofSeconds(1));
      assertThat(another).as("another final response to the INVITE").isEmpty();
    }
  }

  @Test
  void cancelAfterTheAnswerHasNoEffectOnTheCall() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      Dialing d = dial(peer, "answer-" + System.nanoTime());
      Message ok = peer.receiveFinal("1 INVITE");
      assertThat(ok.status()).isEqualTo(200);
      peer.send(
          ok,
          peer.request(
              "ACK",
              bob.uri(),
              d.from(),
              ok.header("To"),
              d.callId(),
              "1 ACK",
              "ack-" + d.callId(),
              null));
      Call call =
          bob.events()
              .await(
                  CallEvent.StateChanged.class,
                  e -> e.call().id().equals(d.callId()) && e.current() == CallState.ESTABLISHED,
                  T)
              .call();

      // §9.2: the INVITE's transaction still exists (the stack keeps an answered INVITE's server
      // transaction to absorb retransmissions, RFC 6026 §7.1), so the CANCEL matches it and gets
      // 200, and since a final response was sent it has no effect on the call: no 487.
      peer.sendTo(bob.phone().sipPort(), d.cancel(d.branch()));
      assertThat(cancelResponse(peer).status()).isEqualTo(200);
      Optional<Message> terminated =
          peer.receiveWithin(
              m -> m.isResponse() && m.status() == 487 && m.cseq().equals("1 INVITE"),
              Duration.ofSeconds(1));
      assertThat(terminated).as("a 487 to the answered INVITE").isEmpty();
      assertThat(call.state()).isEqualTo(CallState.ESTABLISHED);

      call.hangup();
      Message bye = peer.receiveRequest("BYE");
      peer.send(bye, peer.reply(bye, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }
}
