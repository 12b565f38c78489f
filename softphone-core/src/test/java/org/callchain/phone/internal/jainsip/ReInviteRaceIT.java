package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callchain.phone.internal.jainsip.ScriptedSipPeer.sdp;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Re-INVITE races played in a fixed order by a scripted peer, so that they happen on every run
 * rather than once in a while under load: a re-INVITE that overtakes the ACK of the 2xx it follows
 * (RFC 3261 §13.3.1.4, §14.2; RFC 5407 §3.1.4), and glare, both sides' re-INVITEs crossing (RFC
 * 3261 §14.1, §14.2).
 */
class ReInviteRaceIT {
  private static final Duration T = Duration.ofSeconds(10);
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
  void reInviteThatOvertakesTheAckIsAnsweredOnceTheAckArrives() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      int port = alice.phone().sipPort();
      String target = alice.uri();
      String callId = "overtaking-" + System.nanoTime();
      String from = "<" + peer.uri("raw") + ">;tag=raw1";
      peer.sendTo(
          port,
          peer.request(
              "INVITE",
              target,
              from,
              "<" + target + ">",
              callId,
              "1 INVITE",
              "inv-" + callId,
              sdp(1, 40000, "sendrecv")));
      Message ok = peer.receiveFinal("1 INVITE");
      assertThat(ok.status()).isEqualTo(200);
      String to = ok.header("To");

      // The peer's ACK and its re-INVITE, in the order a reordering network or two stack workers
      // may deliver them: the re-INVITE (hold) first.
      peer.sendTo(
          port,
          peer.request(
              "INVITE",
              target,
              from,
              to,
              callId,
              "2 INVITE",
              "reinv-" + callId,
              sdp(2, 40000, "sendonly")));
      Message first = peer.receive(m -> m.isResponse() && m.cseq().equals("2 INVITE"), "response");
      Optional<Message> early =
          peer.receiveWithin(
              m -> m.isResponse() && m.status() >= 200 && m.cseq().equals("2 INVITE"),
              Duration.ofSeconds(1));
      peer.sendTo(
          port, peer.request("ACK", target, from, to, callId, "1 ACK", "ack1-" + callId, null));
      // The ACK confirms the call whatever came before it: a final response to the early re-INVITE
      // would have replaced the 2xx that JAIN-SIP matches the ACK against, and it would be lost.
      Call call =
          alice
              .events()
              .await(
                  CallEvent.StateChanged.class,
                  e -> e.call().id().equals(callId) && e.current() == CallState.ESTABLISHED,
                  T)
              .call();
      assertThat(first.status()).as("first response to the early re-INVITE").isEqualTo(100);
      assertThat(early).as("a final response to the re-INVITE before the ACK").isEmpty();

      Message reOk = peer.receiveFinal("2 INVITE");
      assertThat(reOk.status()).isEqualTo(200);
      assertThat(reOk.text()).contains("a=recvonly");
      peer.sendTo(
          port, peer.request("ACK", target, from, to, callId, "2 ACK", "ack2-" + callId, null));
      alice.events().await(CallEvent.HoldChanged.class, e -> e.call() == call && e.remoteHold(), T);
      assertThat(call.state()).isEqualTo(CallState.ESTABLISHED);
      assertThat(call.isRemoteHold()).isTrue();

      call.hangup();
      Message bye = peer.receiveRequest("BYE");
      peer.send(bye, peer.reply(bye, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }

  @Test
  void glareIsRetriedAfterTheBackoffOfTheCallIdOwner() throws Exception {
    try (ScriptedSipPeer peer = new ScriptedSipPeer(T)) {
      int port = alice.phone().sipPort();
      Call call = alice.phone().call(peer.uri("bob"), CallOptions.defaults());
      Message invite = peer.receiveRequest("INVITE");
      peer.send(invite, peer.reply(invite, "200 OK", "peer1", sdp(1, 40002, "sendrecv")));
      peer.receiveRequest("ACK");
      alice.events().awaitState(call, CallState.ESTABLISHED, T);

      call.hold();
      Message ours =
          peer.receive(
              m -> m.text().startsWith("INVITE ") && !m.cseq().equals(invite.cseq()),
              "alice's re-INVITE");
      // The peer's own re-INVITE crosses it: alice has hers pending and answers 491 (§14.2).
      String peerFrom = invite.header("To") + ";tag=peer1";
      String peerTo = invite.header("From");
      String aliceContact = contactUri(invite);
      String glareBranch = "glare-" + System.nanoTime();
      peer.sendTo(
          port,
          peer.request(
              "INVITE",
              aliceContact,
              peerFrom,
              peerTo,
              call.id(),
              "10 INVITE",
              glareBranch,
              sdp(2, 40002, "sendonly")));
      Message pending = peer.receiveFinal("10 INVITE");
      assertThat(pending.status()).isEqualTo(491);
      // RFC 3261 §17.1.1.3: the ACK for a non-2xx is in the INVITE's transaction (same branch).
      peer.sendTo(
          port,
          peer.request(
              "ACK",
              aliceContact,
              peerFrom,
              pending.header("To"),
              call.id(),
              "10 ACK",
              glareBranch,
              null));

      long refusedAt = System.nanoTime();
      peer.send(ours, peer.reply(ours, "491 Request Pending", null, null));
      long oursNumber = cseqNumber(ours);
      Message retry =
          peer.receive(
              m -> m.text().startsWith("INVITE ") && cseqNumber(m) > oursNumber,
              "alice's retried re-INVITE");
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt);
      // Alice placed the call, so she owns the Call-ID and waits 2.1-4 s (RFC 3261 §14.1); a timer
      // is never early, and the upper bound leaves room for a busy machine.
      assertThat(waitedMillis).isBetween(2100L, 7000L);
      assertThat(retry.text()).contains("a=sendonly");
      peer.send(retry, peer.reply(retry, "200 OK", null, sdp(3, 40002, "recvonly")));
      peer.receive(
          m -> m.text().startsWith("ACK ") && m.cseq().equals(cseqNumber(retry) + " ACK"),
          "ACK for the 200 to the retry");
      alice.events().await(CallEvent.HoldChanged.class, e -> e.call() == call && e.localHold(), T);

      call.hangup();
      Message bye = peer.receiveRequest("BYE");
      peer.send(bye, peer.reply(bye, "200 OK", null, null));
      assertThat(call.finished().get(5, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
    }
  }

  private static long cseqNumber(Message m) {
    return Long.parseLong(m.cseq().split("\\s+")[0]);
  }

  private static String contactUri(Message m) {
    Matcher uri = Pattern.compile("<([^>]+)>").matcher(m.header("Contact"));
    if (!uri.find()) {
      throw new AssertionError("no Contact URI in " + m.header("Contact"));
    }
    return uri.group(1);
  }
}
