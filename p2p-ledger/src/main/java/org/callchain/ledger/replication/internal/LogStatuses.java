package org.callchain.ledger.replication.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LogView;
import org.callchain.ledger.replication.ReplicaStatus;

/** The status of every log a ledger holds, for {@code LedgerNetwork.status()}. */
final class LogStatuses {
  private LogStatuses() {}

  static List<ReplicaStatus> of(Ledger ledger, Map<DeviceAddress, Long> lastUpdated) {
    Set<DeviceAddress> equivocating = new HashSet<>();
    for (EquivocationEvidence e : ledger.equivocations()) {
      equivocating.add(e.device());
    }
    Optional<DeviceAddress> own = ledger.ownDevice();
    List<ReplicaStatus> out = new ArrayList<>();
    for (DeviceAddress d : ledger.devices()) {
      Optional<Checkpoint> head = ledger.log(d).flatMap(LogView::latestCheckpoint);
      if (head.isEmpty()) {
        continue;
      }
      Checkpoint cp = head.get();
      out.add(
          new ReplicaStatus(
              d,
              own.filter(d::equals).isPresent(),
              cp.treeSize(),
              cp.rootHash(),
              Instant.ofEpochMilli(cp.timestampMillis()),
              Optional.ofNullable(lastUpdated.get(d)).map(Instant::ofEpochMilli),
              equivocating.contains(d) ? ReplicaStatus.State.EQUIVOCATING : ReplicaStatus.State.OK,
              ledger.witnessSignatures(d, cp.treeSize()).size()));
    }
    return out;
  }
}
