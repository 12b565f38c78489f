package org.callchain.node;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Admission;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.ledger.CallDirection;
import org.callchain.ledger.CallDisposition;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallParty;
import org.callchain.ledger.CallQuality;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallTransport;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.NetworkDetails;
import org.callchain.ledger.RecordingConsent;
import org.callchain.ledger.RecordingReference;
import org.callchain.media.MediaQuality;
import org.callchain.media.Recording;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.spi.AdmissionVerdict;

/**
 * Turns the facts a phone reports about a finished call into the call detail record this device
 * signs into its log. This is the one place where softphone-core's vocabulary meets the ledger's.
 *
 * <p>Choices made here: an incoming call's admission is the hook's structured verdict ({@link
 * #admission}): its outcome name, its reason or note, and the device whose Identity signature
 * verified; that device is also the caller's device address when it was admitted
 * (docs/identity.md). A recorded call carries {@link RecordingConsent#GRANTED} because the
 * recording device's own user turned recording on (no announcement is played to the peer). The
 * recording locator is the file name, relative to the recordings directory that {@code callchain
 * audit --recordings DIR} is given.
 */
public final class CallRecords {
  private CallRecords() {}

  /**
   * The record of {@code call} as this device saw it.
   *
   * @param self the address of the device writing the record
   * @param site the location or site label configured for this device (may be empty)
   */
  public static CallRecord from(FinishedCall call, DeviceAddress self, String site) {
    Objects.requireNonNull(self, "self");
    boolean outgoing = call.direction() == org.callchain.phone.CallDirection.OUTGOING;
    Admission admission = outgoing ? Admission.NOT_APPLICABLE : admission(call);
    DeviceAddress callerDevice =
        outgoing
            ? self
            : admission.outcome() == AdmissionOutcome.ACCEPTED
                ? admission.signer().orElse(null)
                : null;
    CallParty caller = party(call.fromUri(), callerDevice);
    CallParty callee = party(call.toUri(), outgoing ? null : self);
    long end = Math.max(call.endMillis(), call.startMillis());
    // A clock step between INVITE and answer must not make the record invalid: clamp into range.
    OptionalLong answer =
        call.answerMillis()
            .map(a -> OptionalLong.of(Math.min(Math.max(a, call.startMillis()), end)))
            .orElse(OptionalLong.empty());
    MediaQuality q = call.media().quality();
    CallRecord.Builder b =
        CallRecord.builder()
            .callId(CallId.of(call.callId(), fromTag(call, outgoing), toTag(call, outgoing)))
            .caller(caller)
            .callee(callee)
            .direction(outgoing ? CallDirection.OUTGOING : CallDirection.INCOMING)
            .startMillis(call.startMillis())
            .endMillis(end)
            .disposition(disposition(call.disposition()))
            .sip(call.finalSipCode(), clip(call.finalReason()))
            .codec(clip(call.media().codec()))
            .mediaEncrypted(false)
            .network(network(call))
            .quality(
                new CallQuality(
                    q.packetsSent(),
                    q.packetsReceived(),
                    Math.max(0, q.packetsLost()),
                    Math.round(q.jitterMillis() * 1000),
                    mosCenti(q.mos())))
            .site(clip(site))
            .admission(admission);
    if (answer.isPresent()) {
      b.answerMillis(answer.getAsLong());
    } else {
      b.notAnswered();
    }
    call.media()
        .recording()
        .ifPresentOrElse(
            r -> b.recording(recording(r)).consent(RecordingConsent.GRANTED),
            () -> b.consent(RecordingConsent.NOT_RECORDED));
    return b.build();
  }

  /**
   * The ledger's view of an incoming call's admission verdict. The verdict's outcome names an
   * {@link AdmissionOutcome} when the hook is {@code IdentityAdmission}; any other name (a custom
   * hook, {@code AdmissionHook.ACCEPT_ALL}) becomes {@code ACCEPTED_UNVERIFIED} or {@code
   * REJECTED_OTHER} by whether it accepted, so a record never claims a verification that did not
   * happen. No verdict at all (the call ended before the hook decided) is {@code REJECTED_OTHER}.
   */
  static Admission admission(FinishedCall call) {
    if (call.admissionVerdict().isEmpty()) {
      return new Admission(AdmissionOutcome.REJECTED_OTHER, "no admission decision was made");
    }
    AdmissionVerdict v = call.admissionVerdict().get();
    AdmissionOutcome named = outcomeNamed(v.outcome());
    boolean namedAccepts =
        named == AdmissionOutcome.ACCEPTED || named == AdmissionOutcome.ACCEPTED_UNVERIFIED;
    AdmissionOutcome outcome;
    if (named != null && named != AdmissionOutcome.NOT_APPLICABLE && namedAccepts == v.accepted()) {
      outcome = named;
    } else {
      outcome =
          v.accepted() ? AdmissionOutcome.ACCEPTED_UNVERIFIED : AdmissionOutcome.REJECTED_OTHER;
    }
    if (outcome == AdmissionOutcome.ACCEPTED && v.signer().isEmpty()) {
      outcome = AdmissionOutcome.ACCEPTED_UNVERIFIED; // verified, but by whom is not said
    }
    return new Admission(outcome, clip(v.reason()), v.signer().flatMap(CallRecords::device));
  }

  private static AdmissionOutcome outcomeNamed(String name) {
    try {
      return AdmissionOutcome.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static java.util.Optional<DeviceAddress> device(String text) {
    try {
      return java.util.Optional.of(DeviceAddress.parse(text));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  // The caller's tag is the From tag: ours on an outgoing call, the peer's on an incoming one.
  private static String fromTag(FinishedCall call, boolean outgoing) {
    return outgoing ? call.localTag() : call.remoteTag();
  }

  private static String toTag(FinishedCall call, boolean outgoing) {
    return outgoing ? call.remoteTag() : call.localTag();
  }

  private static CallParty party(String uri, DeviceAddress device) {
    String u = uri == null ? "" : clip(uri);
    return new CallParty(u, userPart(u), device);
  }

  /** The user part of a SIP URI ({@code sip:1001@pbx} gives {@code 1001}), or empty. */
  static String userPart(String uri) {
    String s = uri.trim();
    int lt = s.indexOf('<');
    if (lt >= 0) {
      int gt = s.indexOf('>', lt);
      s = gt > lt ? s.substring(lt + 1, gt) : s.substring(lt + 1);
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      return "";
    }
    String rest = s.substring(colon + 1);
    int at = rest.indexOf('@');
    return at < 0 ? "" : rest.substring(0, at);
  }

  private static CallDisposition disposition(org.callchain.phone.CallDisposition d) {
    return switch (d) {
      case ANSWERED -> CallDisposition.ANSWERED;
      case BUSY -> CallDisposition.BUSY;
      case REJECTED -> CallDisposition.REJECTED;
      case CANCELLED -> CallDisposition.CANCELLED;
      case NO_ANSWER -> CallDisposition.NO_ANSWER;
      case FAILED -> CallDisposition.FAILED;
    };
  }

  private static NetworkDetails network(FinishedCall call) {
    HostPort localSip = HostPort.parse(call.localSipAddress());
    HostPort remoteSip = HostPort.parse(call.remoteSipAddress());
    HostPort localRtp = call.localRtpAddress().map(HostPort::parse).orElse(HostPort.NONE);
    HostPort remoteRtp = call.remoteRtpAddress().map(HostPort::parse).orElse(HostPort.NONE);
    return new NetworkDetails(
        localSip.host(),
        localSip.port(),
        localRtp.port(),
        remoteSip.host(),
        remoteSip.port(),
        remoteRtp.port(),
        CallTransport.valueOf(call.transport().name().toUpperCase(Locale.ROOT)));
  }

  private static RecordingReference recording(Recording r) {
    return new RecordingReference(
        Hash256.parse(r.sha256Hex()), r.sizeBytes(), r.path().getFileName().toString());
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= CallRecord.MAX_TEXT ? s : s.substring(0, CallRecord.MAX_TEXT);
  }

  /** A {@code host:port} or {@code [v6]:port} string as the phone reports addresses. */
  record HostPort(String host, int port) {
    static final HostPort NONE = new HostPort("", 0);

    static HostPort parse(String text) {
      if (text == null || text.isBlank()) {
        return NONE;
      }
      String s = text.trim();
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon && !s.startsWith("[")) {
        return new HostPort(s, 0);
      }
      String host = s.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(s.substring(colon + 1));
        return new HostPort(host, port >= 0 && port <= 65535 ? port : 0);
      } catch (NumberFormatException e) {
        return new HostPort(s, 0);
      }
    }
  }

  /**
   * The MOS in hundredths, 0 when none was measured. The E-model's R-to-MOS mapping (ITU-T G.107
   * Annex B, B-4) dips just under 1.0 for R below about 6.5; MOS is 1.0..4.5 by definition, so such
   * a call is recorded as 1.00 rather than lost for an out-of-range figure.
   */
  static int mosCenti(double mos) {
    if (!(mos > 0)) {
      return 0;
    }
    return (int) Math.max(100, Math.min(500, Math.round(mos * 100)));
  }
}
