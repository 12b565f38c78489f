package org.callchain.ledger.replication;

import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.WitnessSignature;
import org.callchain.net.PeerId;

/**
 * What the ledger network tells the application. Called on the network's replication thread, one
 * event at a time; implementations must return quickly and never block.
 */
public interface ReplicationListener {
  /** A replica grew: {@code checkpoint} of {@code device} was verified and stored. */
  default void replicaUpdated(DeviceAddress device, Checkpoint checkpoint) {}

  /**
   * A message (gossip or sync response) from {@code from} was refused; nothing of it was stored.
   * {@code reason} is one line for an operator.
   */
  default void commitRejected(PeerId from, String reason) {}

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
