package org.callchain.phone.spi;

import java.util.Objects;

/**
 * An {@link AdmissionHook}'s decision. A rejection becomes the final response to the INVITE (for
 * example 428, 438 or 403 with a clear reason phrase, RFC 8224 §6.2.2).
 *
 * @param accepted whether the call may ring
 * @param sipCode the rejection code (4xx-6xx), or 0 when accepted
 * @param reason the reason phrase for a rejection, or a note for an acceptance (stored in the call
 *     record and shown to the user)
 */
public record AdmissionVerdict(boolean accepted, int sipCode, String reason) {
  public AdmissionVerdict {
    Objects.requireNonNull(reason, "reason");
    if (!accepted && (sipCode < 400 || sipCode > 699)) {
      throw new IllegalArgumentException("a rejection needs a 4xx-6xx code, got " + sipCode);
    }
    if (accepted && sipCode != 0) {
      throw new IllegalArgumentException("an acceptance carries no SIP code");
    }
  }

  public static AdmissionVerdict accept(String note) {
    return new AdmissionVerdict(true, 0, note);
  }

  public static AdmissionVerdict reject(int sipCode, String reason) {
    return new AdmissionVerdict(false, sipCode, reason);
  }

  /** One line for logs and records: {@code accepted: note} or {@code rejected 403: reason}. */
  public String text() {
    return accepted ? "accepted: " + reason : "rejected " + sipCode + ": " + reason;
  }
}
