package org.callchain.ledger;

import java.util.List;
import java.util.Objects;

/**
 * What a peer sends for another device's log: the device's new signed checkpoint, the leaves from
 * {@code firstIndex} up to the checkpoint's size, and optionally the consistency proof from the
 * receiver's last checkpoint (which lets the receiver prove equivocation even when it cannot trust
 * the leaves).
 */
public record ReplicaUpdate(
    Checkpoint checkpoint, long firstIndex, List<byte[]> leaves, ConsistencyProof proof) {
  public ReplicaUpdate {
    Objects.requireNonNull(checkpoint, "checkpoint");
    leaves = List.copyOf(leaves);
  }
}
