package org.callchain.ledger.replication;

import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.WitnessSignature;

/**
 * What the ledger network tells the application. Called on the network's replication thread, one
 * event at a time; implementations must return quickly and never block.
 */
public interface ReplicationListener {
  /**
   * A replica grew from {@code fromSize} leaves to {@code checkpoint}'s size: the checkpoint of
   * {@code device} was verified and stored. {@code via} says whether the commit came by gossip or
   * was caught up by sync (after a gap, a restart or a partition).
   */
  default void replicaUpdated(
      DeviceAddress device, Checkpoint checkpoint, long fromSize, Delivery via) {}

  /** A message (gossip or sync response) was refused; nothing of it was stored. */
  default void messageRejected(RejectedMessage rejected) {}

  /** A device was proven to have signed two inconsistent checkpoints; the evidence is stored. */
  default void equivocationDetected(EquivocationEvidence evidence) {}

  /** A witness co-signature of {@code checkpoint} was verified and stored. */
  default void witnessAdded(Checkpoint checkpoint, WitnessSignature witness) {}

  /**
   * A peer's commit carried its device's valid anchor statement (ADR 0093), checked against the
   * configured anchor contract; it may be stale (already anchored) or repeated.
   */
  default void anchorStatementReceived(org.callchain.chain.AnchorStatement statement) {}

  default void peerConnected(PeerStatus peer) {}

  default void peerDisconnected(PeerStatus peer) {}
}
