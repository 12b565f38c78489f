package org.callchain.ledger.internal.log;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.LogCommit;
import org.callchain.ledger.TreeNode;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.merkle.TreeFrontier;

/**
 * The own device log: pending records in memory, committed ones in the store. A commit extends a
 * copy of the tree frontier with the pending leaf hashes, signs the new root, and hands leaves,
 * nodes and checkpoint to the store as one atomic durable write; only when that returns does the
 * frontier advance, so a failed write leaves the log exactly as it was, with the batch pending.
 */
public final class OwnDeviceLog extends StoredLogView implements DeviceLog {
  private final DeviceKey key;
  private final Clock clock;
  private final List<byte[]> pendingLeaves = new ArrayList<>();
  private final List<CallId> pendingIds = new ArrayList<>();
  private TreeFrontier frontier;

  public OwnDeviceLog(LedgerStore store, DeviceKey key, Clock clock) {
    super(store, key.address());
    this.key = key;
    this.clock = clock;
    this.frontier = TreeFrontier.of(store.size(device), nodes);
  }

  @Override
  public synchronized long append(CallRecord record) {
    if (!device.equals(record.recordingDevice())) {
      throw new IllegalArgumentException(
          "record written by " + record.recordingDevice() + " cannot go into the log of " + device);
    }
    pendingLeaves.add(CallRecordCodec.encode(record));
    pendingIds.add(record.callId());
    return frontier.size() + pendingLeaves.size() - 1;
  }

  @Override
  public synchronized int pending() {
    return pendingLeaves.size();
  }

  @Override
  public synchronized long size() {
    return frontier.size();
  }

  @Override
  public synchronized Checkpoint commit() {
    long first = frontier.size();
    java.util.Optional<Checkpoint> latest = store.checkpoint(device, first);
    if (pendingLeaves.isEmpty() && latest.isPresent()) {
      return latest.get();
    }
    TreeFrontier next = frontier.copy();
    List<TreeNode> newNodes = new ArrayList<>(pendingLeaves.size() * 2);
    for (byte[] leaf : pendingLeaves) {
      for (TreeFrontier.Node n : next.append(MerkleHashing.leafHash(leaf))) {
        newNodes.add(new TreeNode(n.level(), n.index(), n.hash()));
      }
    }
    long time = clock.millis();
    if (latest.isPresent()) {
      // Checkpoint times never go backwards, even if the wall clock does.
      time = Math.max(time, latest.get().timestampMillis());
    }
    Checkpoint checkpoint = Checkpoint.sign(key, next.size(), next.root(), time);
    store.commit(new LogCommit(device, first, pendingLeaves, pendingIds, newNodes, checkpoint));
    frontier = next;
    pendingLeaves.clear();
    pendingIds.clear();
    return checkpoint;
  }
}
