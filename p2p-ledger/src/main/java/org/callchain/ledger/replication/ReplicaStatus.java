package org.callchain.ledger.replication;

import java.time.Instant;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Hash256;

/**
 * One log held by this node (own or replica): its size and root, when its device signed the latest
 * checkpoint, when this node last appended to it since start, whether the device was caught
 * equivocating, and how many witnesses co-signed the latest checkpoint.
 */
public record ReplicaStatus(
    DeviceAddress device,
    boolean own,
    long size,
    Hash256 root,
    Instant signedAt,
    Optional<Instant> lastUpdated,
    State state,
    int witnesses) {

  /** Whether the log's device is trustworthy as far as this node can tell. */
  public enum State {
    OK,
    /** Stored evidence proves the device signed two inconsistent checkpoints. */
    EQUIVOCATING
  }
}
