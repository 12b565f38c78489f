package org.callchain.ledger;

import java.util.List;
import java.util.Objects;
import org.callchain.identity.DeviceAddress;

/**
 * Everything one commit adds to a device log, written by {@link LedgerStore#commit} in one atomic,
 * durable write: the new leaves from {@code firstIndex} on, their call ids, the complete-subtree
 * nodes they complete, and the signed checkpoint that ends the commit.
 */
public record LogCommit(
    DeviceAddress device,
    long firstIndex,
    List<byte[]> leaves,
    List<CallId> callIds,
    List<TreeNode> nodes,
    Checkpoint checkpoint) {
  public LogCommit {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(checkpoint, "checkpoint");
    leaves = List.copyOf(leaves);
    callIds = List.copyOf(callIds);
    nodes = List.copyOf(nodes);
    if (leaves.size() != callIds.size()) {
      throw new IllegalArgumentException("one call id per leaf");
    }
    if (checkpoint.treeSize() != firstIndex + leaves.size()
        || !checkpoint.device().equals(device)) {
      throw new IllegalArgumentException("the checkpoint must cover exactly the committed leaves");
    }
  }
}
