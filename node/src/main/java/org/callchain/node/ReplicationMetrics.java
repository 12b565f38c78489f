package org.callchain.node;

import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.replication.ReplicationListener;
import org.callchain.net.PeerId;

/**
 * Feeds what the ledger network reports into the node's metrics: the gossip delay of every replica
 * update (from the checkpoint's signing time at its origin to now) and the audit alerts.
 */
final class ReplicationMetrics implements ReplicationListener {
  private final NodeMetrics metrics;

  ReplicationMetrics(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void replicaUpdated(DeviceAddress device, Checkpoint checkpoint) {
    metrics.gossipArrived(checkpoint.timestampMillis(), System.currentTimeMillis());
  }

  @Override
  public void commitRejected(PeerId from, String reason) {
    metrics.alert(NodeMetrics.Alert.REJECTED_COMMIT);
  }

  @Override
  public void equivocationDetected(EquivocationEvidence evidence) {
    metrics.alert(NodeMetrics.Alert.EQUIVOCATION);
  }
}
