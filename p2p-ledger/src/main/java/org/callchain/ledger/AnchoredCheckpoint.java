package org.callchain.ledger;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;

/**
 * What the chain (or the anchor queue's record of confirmed anchors) says a device anchored: a tree
 * size and root, and the transaction and block that hold it. The audit checks the local log against
 * each of these: the log must have at least that many leaves and their root must be the anchored
 * one, or history was rewritten after it was anchored.
 */
public record AnchoredCheckpoint(
    DeviceAddress device, long treeSize, Hash256 root, String transactionHash, long blockNumber) {
  public AnchoredCheckpoint {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(transactionHash, "transactionHash");
    if (treeSize <= 0) {
      throw new IllegalArgumentException("an anchored tree has at least one leaf: " + treeSize);
    }
  }

  /** Where it is on chain, as a person reads it. */
  public String where() {
    return "tx " + transactionHash + ", block " + blockNumber;
  }
}
