package org.callchain.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.ledger.CallDisposition;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.CallTransport;
import org.callchain.ledger.RecordingConsent;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.media.Recording;
import org.callchain.phone.CallDirection;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Transport;
import org.callchain.phone.spi.AdmissionVerdict;
import org.junit.jupiter.api.Test;

class CallRecordsTest {
  private static final DeviceAddress SELF =
      DeviceAddress.parse("0x00000000000000000000000000000000000000a1");
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private static FinishedCall call(CallDirection direction, Optional<Recording> recording) {
    return new FinishedCall(
        "abc@127.0.0.1",
        direction == CallDirection.OUTGOING ? "ltag" : "rtag-local",
        direction == CallDirection.OUTGOING ? "rtag" : "ftag-remote",
        "\"Alice\" <sip:1001@pbx.example>",
        "sip:1002@pbx.example",
        direction,
        1_000,
        Optional.of(1_500L),
        4_500,
        org.callchain.phone.CallDisposition.ANSWERED,
        200,
        "OK",
        Transport.UDP,
        "127.0.0.1:5070",
        "[::1]:5080",
        Optional.of("127.0.0.1:20000"),
        Optional.of("127.0.0.1:30002"),
        direction == CallDirection.INCOMING
            ? Optional.of(AdmissionVerdict.accept("no admission policy"))
            : Optional.empty(),
        new MediaOutcome("PCMU", new MediaQuality(150, 148, 2, 1.25, 0.5, 4.31), recording));
  }

  @Test
  void outgoingCallBecomesTheCallersRecord() {
    Recording rec = new Recording(Path.of("/var/rec/call-1.wav"), 96_044, SHA);
    CallRecord r = CallRecords.from(call(CallDirection.OUTGOING, Optional.of(rec)), SELF, "hq");

    assertThat(r.recordingDevice()).isEqualTo(SELF);
    assertThat(r.caller().number()).isEqualTo("1001");
    assertThat(r.callee().number()).isEqualTo("1002");
    assertThat(r.callee().device()).isNull();
    assertThat(r.callId()).isEqualTo(CallId.of("abc@127.0.0.1", "ltag", "rtag"));
    assertThat(r.durationMillis()).isEqualTo(3_000);
    assertThat(r.disposition()).isEqualTo(CallDisposition.ANSWERED);
    assertThat(r.sipCode()).isEqualTo(200);
    assertThat(r.network().remoteAddress()).isEqualTo("::1");
    assertThat(r.network().remoteSipPort()).isEqualTo(5080);
    assertThat(r.network().localRtpPort()).isEqualTo(20000);
    assertThat(r.network().transport()).isEqualTo(CallTransport.UDP);
    assertThat(r.quality().jitterMicros()).isEqualTo(1250);
    assertThat(r.quality().mosCenti()).isEqualTo(431);
    assertThat(r.admission().outcome()).isEqualTo(AdmissionOutcome.NOT_APPLICABLE);
    assertThat(r.recording().locator()).isEqualTo("call-1.wav");
    assertThat(r.recording().sha256().toString()).isEqualToIgnoringCase(SHA);
    assertThat(r.consent()).isEqualTo(RecordingConsent.GRANTED);
    assertThat(r.site()).isEqualTo("hq");
  }

  @Test
  void aMosJustUnderOneFromTheEModelIsRecordedAsOneAndNoneAsZero() {
    assertThat(CallRecords.mosCenti(0.99)).isEqualTo(100);
    assertThat(CallRecords.mosCenti(4.31)).isEqualTo(431);
    assertThat(CallRecords.mosCenti(0)).isZero();
    assertThat(CallRecords.mosCenti(Double.NaN)).isZero();
  }

  @Test
  void incomingCallBecomesTheCalleesRecordWithTheSameCallIdAsTheCallers() {
    CallRecord r = CallRecords.from(call(CallDirection.INCOMING, Optional.empty()), SELF, "");

    assertThat(r.recordingDevice()).isEqualTo(SELF);
    assertThat(r.caller().device()).isNull();
    // The caller's From tag comes first whichever side writes: both views share one call id.
    assertThat(r.callId()).isEqualTo(CallId.of("abc@127.0.0.1", "ftag-remote", "rtag-local"));
    assertThat(r.admission().outcome()).isEqualTo(AdmissionOutcome.ACCEPTED_UNVERIFIED);
    assertThat(r.admission().detail()).isEqualTo("no admission policy");
    assertThat(r.admission().signer()).isEmpty();
    assertThat(r.recording()).isNull();
    assertThat(r.consent()).isEqualTo(RecordingConsent.NOT_RECORDED);
  }

  private static FinishedCall incoming(AdmissionVerdict verdict) {
    FinishedCall c = call(CallDirection.INCOMING, Optional.empty());
    return new FinishedCall(
        c.callId(),
        c.localTag(),
        c.remoteTag(),
        c.fromUri(),
        c.toUri(),
        c.direction(),
        c.startMillis(),
        Optional.empty(),
        c.endMillis(),
        org.callchain.phone.CallDisposition.REJECTED,
        verdict.accepted() ? 486 : verdict.sipCode(),
        verdict.reason(),
        c.transport(),
        c.localSipAddress(),
        c.remoteSipAddress(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(verdict),
        c.media());
  }

  @Test
  void aVerifiedCallerIsTheCallersDeviceAndTheAdmissionSigner() throws Exception {
    DeviceAddress alice = DeviceAddress.parse("0x00000000000000000000000000000000000000b2");
    CallRecord r =
        CallRecords.from(
            incoming(
                new AdmissionVerdict(
                    true, 0, "verified device " + alice, "ACCEPTED", Optional.of(alice.toHex()))),
            SELF,
            "");
    assertThat(r.admission().outcome()).isEqualTo(AdmissionOutcome.ACCEPTED);
    assertThat(r.admission().signer()).contains(alice);
    assertThat(r.admission().detail()).isEqualTo("verified device " + alice);
    assertThat(r.caller().device()).isEqualTo(alice);
    assertThat(CallRecordCodec.decode(CallRecordCodec.encode(r))).isEqualTo(r);
  }

  @Test
  void aRefusedImpostorIsNamedAsSignerButNotAsTheCallersDevice() throws Exception {
    DeviceAddress mallory = DeviceAddress.parse("0x00000000000000000000000000000000000000c3");
    CallRecord r =
        CallRecords.from(
            incoming(
                new AdmissionVerdict(
                    false,
                    403,
                    "unregistered device",
                    "REJECTED_UNREGISTERED",
                    Optional.of(mallory.toHex()))),
            SELF,
            "");
    assertThat(r.admission().outcome()).isEqualTo(AdmissionOutcome.REJECTED_UNREGISTERED);
    assertThat(r.admission().signer()).contains(mallory);
    assertThat(r.sipCode()).isEqualTo(403);
    assertThat(r.sipReason()).isEqualTo("unregistered device");
    assertThat(r.caller().device()).isNull();
    assertThat(CallRecordCodec.decode(CallRecordCodec.encode(r))).isEqualTo(r);
  }

  @Test
  void aVerdictNamingNoKnownOutcomeNeverClaimsAVerification() {
    assertThat(
            CallRecords.from(
                    incoming(new AdmissionVerdict(true, 0, "ok", "CUSTOM", Optional.empty())),
                    SELF,
                    "")
                .admission()
                .outcome())
        .isEqualTo(AdmissionOutcome.ACCEPTED_UNVERIFIED);
    // "ACCEPTED" on a rejection, or without a signer, is not believed either.
    assertThat(
            CallRecords.from(
                    incoming(new AdmissionVerdict(false, 500, "x", "ACCEPTED", Optional.empty())),
                    SELF,
                    "")
                .admission()
                .outcome())
        .isEqualTo(AdmissionOutcome.REJECTED_OTHER);
    assertThat(
            CallRecords.from(
                    incoming(new AdmissionVerdict(true, 0, "x", "ACCEPTED", Optional.empty())),
                    SELF,
                    "")
                .admission()
                .outcome())
        .isEqualTo(AdmissionOutcome.ACCEPTED_UNVERIFIED);
  }

  @Test
  void recordRoundTripsThroughTheCanonicalEncoding() throws Exception {
    CallRecord r =
        CallRecords.from(
            call(CallDirection.OUTGOING, Optional.of(new Recording(Path.of("r.wav"), 44, SHA))),
            SELF,
            "");
    assertThat(CallRecordCodec.decode(CallRecordCodec.encode(r))).isEqualTo(r);
  }

  @Test
  void userPartOfSipUris() {
    assertThat(CallRecords.userPart("sip:alice@example.com")).isEqualTo("alice");
    assertThat(CallRecords.userPart("\"A\" <sips:+4930123@gw;user=phone>")).isEqualTo("+4930123");
    assertThat(CallRecords.userPart("sip:example.com")).isEmpty();
    assertThat(CallRecords.userPart("")).isEmpty();
  }
}
