package org.callchain.ledger.replication;

import java.util.Locale;

/**
 * Why a message from a peer was refused (docs/replication.md, "Validation before forwarding"). A
 * short list, so it can label a metric; the one-line detail of each refusal says the rest.
 */
public enum RejectionReason {
  /** It does not decode strictly, breaks a size limit, or its sizes do not add up. */
  MALFORMED,
  /** The device it claims is not an active registered device (unknown, revoked or rotated). */
  NOT_REGISTERED,
  /** The checkpoint is not signed by the device it names. */
  BAD_SIGNATURE,
  /**
   * Validly signed, but not consistent with what is held here: leaves that do not hash to the
   * signed root, a wrong start, a bad consistency proof, a leaf written by another device.
   */
  INCONSISTENT,
  /** The device signed a checkpoint that contradicts one held here; the evidence is stored. */
  EQUIVOCATION,
  /** A witness co-signature that does not verify or comes from a key that may not witness. */
  BAD_WITNESS,
  /** A sync response that is not an answer to what was asked. */
  BAD_SYNC_RESPONSE;

  /** The lower-case name, as a metric label or in a log line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
