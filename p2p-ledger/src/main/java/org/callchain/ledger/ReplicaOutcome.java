package org.callchain.ledger;

/**
 * What accepting a replica update did. {@code evidence} is set only for {@link Kind#EQUIVOCATION}.
 */
public record ReplicaOutcome(Kind kind, long replicaSize, EquivocationEvidence evidence) {
  /** The possible results. */
  public enum Kind {
    /** The leaves and checkpoint were verified and stored. */
    APPENDED,
    /** The checkpoint states a tree already held; nothing changed. */
    ALREADY_KNOWN,
    /** The device contradicted an earlier checkpoint; evidence stored, replica left unchanged. */
    EQUIVOCATION
  }
}
