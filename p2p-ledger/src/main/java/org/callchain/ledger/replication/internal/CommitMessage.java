package org.callchain.ledger.replication.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.callchain.chain.AnchorStatement;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.ConsistencyProof;
import org.callchain.ledger.ReplicaUpdate;

/**
 * A device's commit as it travels: its signed checkpoint and the leaves {@code [firstIndex,
 * treeSize)}, optionally with the consistency proof from {@code firstIndex} (null when absent) and
 * the device's anchor statement for exactly this checkpoint (ADR 0093).
 */
record CommitMessage(
    Checkpoint checkpoint,
    long firstIndex,
    List<byte[]> leaves,
    ConsistencyProof proof,
    Optional<AnchorStatement> statement) {
  CommitMessage {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(statement, "statement");
    leaves = List.copyOf(leaves);
    if (firstIndex < 0 || firstIndex + leaves.size() != checkpoint.treeSize()) {
      throw new IllegalArgumentException(
          "a commit carries exactly the leaves from its first index to its checkpoint");
    }
    if (statement.isPresent() && !AnchorStatements.covers(statement.get(), checkpoint)) {
      throw new IllegalArgumentException("the anchor statement is not for this checkpoint");
    }
  }

  CommitMessage(
      Checkpoint checkpoint, long firstIndex, List<byte[]> leaves, ConsistencyProof proof) {
    this(checkpoint, firstIndex, leaves, proof, Optional.empty());
  }

  /**
   * The update for a replica that holds {@code heldSize} leaves: the leaves we lack (this message
   * may start before them), and the proof only when it starts exactly at the held size.
   */
  ReplicaUpdate updateFor(long heldSize) {
    if (heldSize >= checkpoint.treeSize()) {
      return new ReplicaUpdate(checkpoint, heldSize, List.of(), null);
    }
    int skip = (int) (heldSize - firstIndex);
    return new ReplicaUpdate(
        checkpoint,
        heldSize,
        leaves.subList(skip, leaves.size()),
        heldSize == firstIndex ? proof : null);
  }
}
