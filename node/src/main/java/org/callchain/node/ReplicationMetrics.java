package org.callchain.node;

import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.RejectedMessage;
import org.callchain.ledger.replication.ReplicationListener;

/**
 * Feeds what the ledger network reports into the node's metrics: the gossip delay of every replica
 * update that came by gossip (from the checkpoint's signing time at its origin to now), the leaves
 * caught up by sync instead (their delay says how long a node was away, not how fast gossip is),
 * refused messages by reason, and the audit alerts.
 */
final class ReplicationMetrics implements ReplicationListener {
  private final NodeMetrics metrics;

  ReplicationMetrics(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void replicaUpdated(
      DeviceAddress device, Checkpoint checkpoint, long fromSize, Delivery via) {
    switch (via) {
      case GOSSIP ->
          metrics.gossipArrived(checkpoint.timestampMillis(), System.currentTimeMillis());
      case SYNC -> metrics.leavesSynced(checkpoint.treeSize() - fromSize);
    }
  }

  @Override
  public void messageRejected(RejectedMessage rejected) {
    metrics.rejected(rejected.via(), rejected.reason());
    metrics.alert(NodeMetrics.Alert.REJECTED_COMMIT);
  }

  @Override
  public void equivocationDetected(EquivocationEvidence evidence) {
    metrics.alert(NodeMetrics.Alert.EQUIVOCATION);
  }
}
