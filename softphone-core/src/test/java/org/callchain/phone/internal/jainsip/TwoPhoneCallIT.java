package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.callchain.media.MediaDirection;
import org.callchain.media.PayloadFormat;
import org.callchain.phone.Call;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.PhoneException;
import org.callchain.phone.Transport;
import org.callchain.phone.spi.AdmissionVerdict;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.spi.IncomingInvite;
import org.callchain.phone.testing.RecordingMediaEngine;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two (or three) Callchain phones on 127.0.0.1 calling each other through real JAIN-SIP stacks over
 * UDP and TCP: every dialog feature of RFC 3261, RFC 3264 hold and RFC 3515 transfer.
 */
class TwoPhoneCallIT {
  private static final Duration T = Duration.ofSeconds(8);
  private static TestPhones phones;
  private static TestPhone alice;
  private static TestPhone bob;
  private static TestPhone carol;
  private static final List<FinishedCall> bobRecords = new CopyOnWriteArrayList<>();
  private static final List<IncomingInvite> bobAdmissions = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    alice =
        phones.start(
            "alice",
            b ->
                b.displayName("Alice")
                    .outgoingRequestHook(
                        invite -> List.of(new HeaderField("X-Callchain-Test", invite.callId()))));
    bob =
        phones.start(
            "bob",
            b ->
                b.finishedCallSink(bobRecords::add)
                    .admissionHook(
                        invite -> {
                          bobAdmissions.add(invite);
                          return AdmissionVerdict.accept("test policy");
                        }));
    carol = phones.start("carol");
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  @BeforeEach
  void clear() {
    alice.events().clear();
    bob.events().clear();
    carol.events().clear();
  }

  private static Call[] establish(TestPhone caller, TestPhone callee, String uri) throws Exception {
    Call out = caller.phone().call(uri, CallOptions.defaults());
    Call in = callee.events().awaitIncoming(T);
    in.answer();
    caller.events().awaitState(out, CallState.ESTABLISHED, T);
    callee.events().awaitState(in, CallState.ESTABLISHED, T);
    return new Call[] {out, in};
  }

  private static FinishedCall done(Call call) throws Exception {
    return call.finished().get(T.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void callerHangsUpAnsweredCallAndBothSidesRecordIt() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    assertThat(c[1].remoteDisplayName()).contains("Alice");
    assertThat(c[0].media()).isPresent();
    c[0].hangup();
    FinishedCall a = done(c[0]);
    FinishedCall b = done(c[1]);
    assertThat(a.disposition()).isEqualTo(CallDisposition.ANSWERED);
    assertThat(b.disposition()).isEqualTo(CallDisposition.ANSWERED);
    assertThat(a.callId()).isEqualTo(b.callId());
    assertThat(a.localTag()).isEqualTo(b.remoteTag()).isNotEmpty();
    assertThat(a.remoteTag()).isEqualTo(b.localTag()).isNotEmpty();
    assertThat(a.direction()).isEqualTo(CallDirection.OUTGOING);
    assertThat(b.direction()).isEqualTo(CallDirection.INCOMING);
    assertThat(a.fromUri()).isEqualTo(b.fromUri()).isEqualTo(alice.uri());
    assertThat(a.toUri()).isEqualTo(b.toUri()).isEqualTo(bob.uri());
    assertThat(a.finalSipCode()).isEqualTo(200);
    assertThat(a.answerMillis()).isPresent();
    assertThat(a.endMillis()).isGreaterThanOrEqualTo(a.answerMillis().get());
    assertThat(a.transport()).isEqualTo(Transport.UDP);
    assertThat(a.localRtpAddress()).isEqualTo(b.remoteRtpAddress());
    assertThat(b.localRtpAddress()).isEqualTo(a.remoteRtpAddress());
    assertThat(b.admissionVerdict().map(AdmissionVerdict::text)).contains("accepted: test policy");
    assertThat(a.admissionVerdict()).isEmpty();
    assertThat(a.media().codec()).isEqualTo("PCMU");
    assertThat(b.remoteSipAddress()).startsWith("127.0.0.1:");
    // The sink runs before the future completes.
    assertThat(bobRecords).anyMatch(r -> r.callId().equals(b.callId()));
    // The advertised RTP port is the media session's real port, and it is released at the end.
    RecordingMediaEngine.Session session = alice.media().session(a.callId()).orElseThrow();
    assertThat(a.localRtpAddress()).contains("127.0.0.1:" + session.localRtpAddress().getPort());
    assertThat(session.isBound()).isFalse();
  }

  @Test
  void calleeHangsUpOverTcp() throws Exception {
    Call out = alice.phone().call(bob.tcpUri(), CallOptions.defaults());
    Call in = bob.events().awaitIncoming(T);
    in.answer();
    alice.events().awaitState(out, CallState.ESTABLISHED, T);
    bob.events().awaitState(in, CallState.ESTABLISHED, T);
    in.hangup();
    FinishedCall a = done(out);
    FinishedCall b = done(in);
    assertThat(a.transport()).isEqualTo(Transport.TCP);
    assertThat(b.transport()).isEqualTo(Transport.TCP);
    assertThat(a.disposition()).isEqualTo(CallDisposition.ANSWERED);
    assertThat(b.disposition()).isEqualTo(CallDisposition.ANSWERED);
  }

  @Test
  void callerCancelsWhileRinging() throws Exception {
    Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
    Call in = bob.events().awaitIncoming(T);
    alice.events().awaitState(out, CallState.RINGING, T);
    out.hangup();
    FinishedCall a = done(out);
    FinishedCall b = done(in);
    assertThat(a.disposition()).isEqualTo(CallDisposition.CANCELLED);
    assertThat(a.finalSipCode()).isEqualTo(487);
    assertThat(b.disposition()).isEqualTo(CallDisposition.CANCELLED);
    assertThat(b.answerMillis()).isEmpty();
  }

  @Test
  void calleeRejectsWithBusyHere() throws Exception {
    Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
    Call in = bob.events().awaitIncoming(T);
    in.reject(486);
    FinishedCall a = done(out);
    assertThat(a.disposition()).isEqualTo(CallDisposition.BUSY);
    assertThat(a.finalSipCode()).isEqualTo(486);
    assertThat(done(in).disposition()).isEqualTo(CallDisposition.BUSY);
  }

  @Test
  void calleeDeclinesWith603() throws Exception {
    Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
    Call in = bob.events().awaitIncoming(T);
    in.reject(603);
    FinishedCall a = done(out);
    assertThat(a.disposition()).isEqualTo(CallDisposition.REJECTED);
    assertThat(a.finalSipCode()).isEqualTo(603);
    assertThat(done(in).finalSipCode()).isEqualTo(603);
  }

  @Test
  void ringTimeoutCancelsAsNoAnswer() throws Exception {
    Call out =
        alice
            .phone()
            .call(bob.uri(), CallOptions.defaults().withRingTimeout(Duration.ofMillis(700)));
    Call in = bob.events().awaitIncoming(T);
    FinishedCall a = done(out);
    assertThat(a.disposition()).isEqualTo(CallDisposition.NO_ANSWER);
    assertThat(done(in).disposition()).isEqualTo(CallDisposition.CANCELLED);
  }

  @Test
  void outgoingHookHeadersReachTheCalleesAdmissionHook() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    IncomingInvite seen =
        bobAdmissions.stream().filter(i -> i.callId().equals(c[0].id())).findFirst().orElseThrow();
    assertThat(seen.header("x-callchain-test")).contains(c[0].id());
    assertThat(seen.fromUri()).isEqualTo(alice.uri());
    assertThat(seen.fromDisplayName()).contains("Alice");
    assertThat(seen.header("User-Agent")).contains("Callchain/0.1");
    assertThat(seen.header("Max-Forwards")).contains("70");
    assertThat(seen.headerValues("Allow")).isNotEmpty();
    c[0].hangup();
    done(c[1]);
  }

  @Test
  void callerHoldsAndResumes() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    c[0].hold();
    bob.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[1] && e.remoteHold(), T);
    alice.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[0] && e.localHold(), T);
    assertThat(lastDirection(alice, c[0])).isEqualTo(MediaDirection.SENDONLY);
    assertThat(lastDirection(bob, c[1])).isEqualTo(MediaDirection.RECVONLY);
    assertThat(c[1].isRemoteHold()).isTrue();
    assertThat(c[0].isLocalHold()).isTrue();
    alice.events().clear();
    bob.events().clear();
    c[0].resume();
    bob.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[1] && !e.remoteHold(), T);
    alice.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[0] && !e.localHold(), T);
    assertThat(lastDirection(alice, c[0])).isEqualTo(MediaDirection.SENDRECV);
    assertThat(lastDirection(bob, c[1])).isEqualTo(MediaDirection.SENDRECV);
    c[0].hangup();
    done(c[1]);
  }

  @Test
  void calleeHoldsAndResumes() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    c[1].hold();
    alice.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[0] && e.remoteHold(), T);
    bob.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[1] && e.localHold(), T);
    assertThat(lastDirection(bob, c[1])).isEqualTo(MediaDirection.SENDONLY);
    assertThat(lastDirection(alice, c[0])).isEqualTo(MediaDirection.RECVONLY);
    bob.events().clear();
    c[1].resume();
    bob.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[1] && !e.localHold(), T);
    assertThat(lastDirection(bob, c[1])).isEqualTo(MediaDirection.SENDRECV);
    c[1].hangup();
    done(c[0]);
  }

  @Test
  void bothSidesHoldGivesInactive() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    c[0].hold();
    bob.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[1] && e.remoteHold(), T);
    c[1].hold();
    bob.events().await(CallEvent.HoldChanged.class, e -> e.call() == c[1] && e.localHold(), T);
    assertThat(lastDirection(bob, c[1])).isEqualTo(MediaDirection.INACTIVE);
    c[0].hangup();
    done(c[1]);
  }

  private static MediaDirection lastDirection(TestPhone p, Call call) {
    return p.media().session(call.id()).orElseThrow().last().orElseThrow().direction();
  }

  @Test
  void blindTransferMovesTheCallerToAThirdPhone() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    c[1].blindTransfer(carol.uri());
    CallEvent.TransferRequested requested =
        alice.events().await(CallEvent.TransferRequested.class, T);
    assertThat(requested.targetUri()).isEqualTo(carol.uri());
    Call atCarol = carol.events().awaitIncoming(T);
    assertThat(atCarol.remoteUri()).isEqualTo(alice.uri());
    atCarol.answer();
    bob.events()
        .await(CallEvent.TransferProgress.class, e -> e.sipCode() == 200 && e.finished(), T);
    // The transferor leaves the original call once the transfer succeeded (RFC 5589 §6.1).
    assertThat(done(c[1]).disposition()).isEqualTo(CallDisposition.ANSWERED);
    assertThat(done(c[0]).disposition()).isEqualTo(CallDisposition.ANSWERED);
    Call aliceToCarol = requested.newCall();
    alice.events().awaitState(aliceToCarol, CallState.ESTABLISHED, T);
    assertThat(aliceToCarol.state()).isEqualTo(CallState.ESTABLISHED);
    aliceToCarol.hangup();
    assertThat(done(atCarol).disposition()).isEqualTo(CallDisposition.ANSWERED);
  }

  @Test
  void failedTransferReportsTheFinalStatusAndKeepsTheCall() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    c[1].blindTransfer(carol.uri());
    Call atCarol = carol.events().awaitIncoming(T);
    atCarol.reject(486);
    CallEvent.TransferProgress p =
        bob.events().await(CallEvent.TransferProgress.class, e -> e.sipCode() == 486, T);
    assertThat(p.finished()).isTrue();
    assertThat(c[1].state()).isEqualTo(CallState.ESTABLISHED);
    c[1].hangup();
    done(c[0]);
  }

  @Test
  void severalCallsAtOnce() throws Exception {
    List<Call> outs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      outs.add(alice.phone().call(bob.uri(), CallOptions.defaults()));
    }
    for (Call out : outs) {
      Call in =
          bob.events()
              .await(CallEvent.Incoming.class, e -> e.call().id().equals(out.id()), T)
              .call();
      in.answer();
    }
    for (Call out : outs) {
      alice.events().awaitState(out, CallState.ESTABLISHED, T);
    }
    assertThat(alice.phone().activeCalls()).hasSizeGreaterThanOrEqualTo(4);
    outs.get(1).hold();
    bob.events()
        .await(
            CallEvent.HoldChanged.class,
            e -> e.call().id().equals(outs.get(1).id()) && e.remoteHold(),
            T);
    for (Call out : outs) {
      out.hangup();
    }
    for (Call out : outs) {
      assertThat(done(out).disposition()).isEqualTo(CallDisposition.ANSWERED);
    }
  }

  @Test
  void dtmfIsSentThroughTheMediaSession() throws Exception {
    Call[] c = establish(alice, bob, bob.uri());
    c[0].sendDtmf('5');
    c[0].sendDtmf('#');
    assertThat(alice.media().session(c[0].id()).orElseThrow().dtmfSent()).containsExactly('5', '#');
    assertThatThrownBy(() -> c[0].sendDtmf('x')).isInstanceOf(IllegalArgumentException.class);
    bob.media().session(c[1].id()).orElseThrow().simulateDtmfReceived('9');
    assertThat(bob.events().await(CallEvent.DtmfReceived.class, e -> e.call() == c[1], T).digit())
        .isEqualTo('9');
    c[0].hangup();
    done(c[1]);
  }

  @Test
  void offerWithoutCommonCodecIsRejectedWith488() throws Exception {
    RecordingMediaEngine g722Only =
        new RecordingMediaEngine("127.0.0.1", List.of(new PayloadFormat(9, "G722", 8000, 1, "")));
    TestPhone dave = phones.start("dave", g722Only, b -> {});
    Call out = alice.phone().call(dave.uri(), CallOptions.defaults());
    FinishedCall a = done(out);
    assertThat(a.finalSipCode()).isEqualTo(488);
    assertThat(a.disposition()).isEqualTo(CallDisposition.REJECTED);
    assertThat(dave.events().events()).noneMatch(e -> e instanceof CallEvent.Incoming);
  }

  @Test
  void admissionHookRejectsBeforeRinging() throws Exception {
    TestPhone erin =
        phones.start(
            "erin", b -> b.admissionHook(i -> AdmissionVerdict.reject(403, "Unregistered device")));
    Call out = alice.phone().call(erin.uri(), CallOptions.defaults());
    FinishedCall a = done(out);
    assertThat(a.finalSipCode()).isEqualTo(403);
    assertThat(a.finalReason()).isEqualTo("Unregistered device");
    assertThat(a.disposition()).isEqualTo(CallDisposition.REJECTED);
    assertThat(alice.events().events())
        .noneMatch(e -> e instanceof CallEvent.StateChanged s && s.current() == CallState.RINGING);
    AdmissionVerdict decided = erin.events().await(CallEvent.Admitted.class, T).verdict();
    assertThat(decided.text()).isEqualTo("rejected 403: Unregistered device");
    FinishedCall e = erin.events().await(CallEvent.Ended.class, T).record();
    assertThat(e.admissionVerdict()).contains(decided);
  }

  @Test
  void answersDigestChallengeOnInvite() throws Exception {
    TestPhone frank =
        phones.start(
            "frank",
            b -> b.inboundChallenge(new org.callchain.phone.DigestCredentials("alice", "s3cret")));
    Call out =
        alice
            .phone()
            .call(
                frank.uri(),
                CallOptions.defaults()
                    .withCredentials(new org.callchain.phone.DigestCredentials("alice", "s3cret")));
    Call in = frank.events().awaitIncoming(T);
    in.answer();
    alice.events().awaitState(out, CallState.ESTABLISHED, T);
    out.hangup();
    assertThat(done(in).disposition()).isEqualTo(CallDisposition.ANSWERED);

    Call wrong =
        alice
            .phone()
            .call(
                frank.uri(),
                CallOptions.defaults()
                    .withCredentials(new org.callchain.phone.DigestCredentials("alice", "wrong")));
    assertThat(done(wrong).finalSipCode()).isEqualTo(401);
    Call none = alice.phone().call(frank.uri(), CallOptions.defaults());
    assertThat(done(none).finalSipCode()).isEqualTo(401);
  }

  @Test
  void unreachablePeerTimesOutOrFails() throws Exception {
    assertThatThrownBy(() -> alice.phone().call("mailto:bob@example.com", CallOptions.defaults()))
        .isInstanceOf(PhoneException.class);
    assertThatThrownBy(
            () -> alice.phone().call("sip:bob@127.0.0.1;transport=sctp", CallOptions.defaults()))
        .isInstanceOf(PhoneException.class);
  }
}
