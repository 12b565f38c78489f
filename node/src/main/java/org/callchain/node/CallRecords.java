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

/**
 * Turns the facts a phone reports about a finished call into the call detail record this device
 * signs into its log. This is the one place where softphone-core's vocabulary meets the ledger's.
 *
 * <p>Choices made here, until admission by identity (RFC 8224) is wired in: an incoming call is
 * recorded as {@link AdmissionOutcome#ACCEPTED_UNVERIFIED} with the phone's verdict text, because
 * no registry check decided it; a recorded call carries {@link RecordingConsent#GRANTED} because
 * the recording device's own user turned recording on (no announcement is played to the peer). The
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
    CallParty caller = party(call.fromUri(), outgoing ? self : null);
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
                    (int) Math.round(q.mos() * 100)))
            .site(clip(site))
            .admission(
                outgoing
                    ? Admission.NOT_APPLICABLE
                    : new Admission(
                        AdmissionOutcome.ACCEPTED_UNVERIFIED,
                        clip(call.admissionVerdict().orElse("no identity check configured"))));
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
}
