package org.callchain.phone;

import java.util.Objects;
import java.util.Optional;
import org.callchain.media.MediaOutcome;
import org.callchain.phone.spi.AdmissionVerdict;

/**
 * The facts of one finished call leg that a call detail record needs, as this side saw them.
 *
 * @param callId the SIP Call-ID
 * @param localTag this side's dialog tag (empty if no dialog formed)
 * @param remoteTag the peer's dialog tag (empty if it never answered)
 * @param fromUri the From URI of the initial INVITE
 * @param toUri the To URI of the initial INVITE
 * @param direction who sent the INVITE
 * @param startMillis when the INVITE was sent or received (epoch ms)
 * @param answerMillis when the call was answered (epoch ms), or empty
 * @param endMillis when it ended (epoch ms)
 * @param disposition how it ended
 * @param finalSipCode the final response of the INVITE (200 when answered), or 0 if none came
 * @param finalReason its reason phrase, or what went wrong
 * @param transport the transport of the INVITE
 * @param localSipAddress this side's SIP host:port
 * @param remoteSipAddress the peer's (next hop's) SIP host:port
 * @param localRtpAddress this side's RTP host:port, or empty if no media session opened
 * @param remoteRtpAddress the peer's RTP host:port from its SDP, or empty
 * @param admissionVerdict the admission hook's verdict (incoming calls that reached it), or empty
 * @param media what the media session left behind
 */
public record FinishedCall(
    String callId,
    String localTag,
    String remoteTag,
    String fromUri,
    String toUri,
    CallDirection direction,
    long startMillis,
    Optional<Long> answerMillis,
    long endMillis,
    CallDisposition disposition,
    int finalSipCode,
    String finalReason,
    Transport transport,
    String localSipAddress,
    String remoteSipAddress,
    Optional<String> localRtpAddress,
    Optional<String> remoteRtpAddress,
    Optional<AdmissionVerdict> admissionVerdict,
    MediaOutcome media) {

  public FinishedCall {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(media, "media");
  }

  /** Milliseconds between answer and end, or 0 if never answered. */
  public long talkMillis() {
    return answerMillis.map(a -> Math.max(0, endMillis - a)).orElse(0L);
  }
}
