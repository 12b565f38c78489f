package org.callchain.phone.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AdmissionHook}'s decision. A rejection becomes the final response to the INVITE (for
 * example 428, 438 or 403 with a clear reason phrase, RFC 8224 §6.2.2). The phone reports the whole
 * verdict as a {@link org.callchain.phone.CallEvent.Admitted} event and in the call's {@link
 * org.callchain.phone.FinishedCall}, and never interprets {@code outcome} or {@code signer}.
 *
 * @param accepted whether the call may ring
 * @param sipCode the rejection code (4xx-6xx), or 0 when accepted
 * @param reason the reason phrase for a rejection, or a note for an acceptance (stored in the call
 *     record and shown to the user)
 * @param outcome a stable name for the verdict chosen by the hook (for example {@code ACCEPTED} or
 *     {@code REJECTED_UNREGISTERED}), so a record or a metric need not parse the reason phrase;
 *     {@link #POLICY_ACCEPTED} and {@link #POLICY_REJECTED} when the hook names none
 * @param signer the identity whose signature on the request the hook verified (for example a device
 *     address from an RFC 8224 Identity header), also on a rejection; empty if none verified
 */
public record AdmissionVerdict(
    boolean accepted, int sipCode, String reason, String outcome, Optional<String> signer) {

  /** The outcome of {@link #accept(String)}: accepted without verifying anyone. */
  public static final String POLICY_ACCEPTED = "ACCEPTED_UNVERIFIED";

  /** The outcome of {@link #reject(int, String)}. */
  public static final String POLICY_REJECTED = "REJECTED_OTHER";

  public AdmissionVerdict {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(signer, "signer");
    if (!accepted && (sipCode < 400 || sipCode > 699)) {
      throw new IllegalArgumentException("a rejection needs a 4xx-6xx code, got " + sipCode);
    }
    if (accepted && sipCode != 0) {
      throw new IllegalArgumentException("an acceptance carries no SIP code");
    }
    if (outcome.isEmpty()) {
      throw new IllegalArgumentException("outcome must not be empty");
    }
  }

  /** Accepts without a verified signer (outcome {@link #POLICY_ACCEPTED}). */
  public static AdmissionVerdict accept(String note) {
    return new AdmissionVerdict(true, 0, note, POLICY_ACCEPTED, Optional.empty());
  }

  /** Rejects without naming an outcome (outcome {@link #POLICY_REJECTED}). */
  public static AdmissionVerdict reject(int sipCode, String reason) {
    return new AdmissionVerdict(false, sipCode, reason, POLICY_REJECTED, Optional.empty());
  }

  /** One line for logs and records: {@code accepted: note} or {@code rejected 403: reason}. */
  public String text() {
    return accepted ? "accepted: " + reason : "rejected " + sipCode + ": " + reason;
  }
}
