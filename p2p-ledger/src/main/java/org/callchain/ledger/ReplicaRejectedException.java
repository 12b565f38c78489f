package org.callchain.ledger;

/**
 * A replica update was not accepted and nothing of it was stored: bad signature, a signer other
 * than the log's device, leaves that do not hash to the signed root, a gap, or a bad proof. An
 * update that proves the device signed two incompatible checkpoints is not rejected this way; it
 * produces {@link EquivocationEvidence}.
 */
public final class ReplicaRejectedException extends LedgerException {
  public ReplicaRejectedException(String message) {
    super(message);
  }
}
