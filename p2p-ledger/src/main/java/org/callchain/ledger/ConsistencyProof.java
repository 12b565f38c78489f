package org.callchain.ledger;

import java.util.List;
import java.util.Objects;
import org.callchain.ledger.internal.merkle.ProofVerification;

/**
 * An RFC 9162 §2.1.4 consistency proof that the tree of {@code fromSize} leaves is a prefix of the
 * tree of {@code toSize} leaves.
 */
public record ConsistencyProof(long fromSize, long toSize, List<Hash256> path) {
  public ConsistencyProof {
    Objects.requireNonNull(path, "path");
    path = List.copyOf(path);
  }

  /** RFC 9162 §2.1.4.2 against the two roots. */
  public boolean verifies(Hash256 fromRoot, Hash256 toRoot) {
    return ProofVerification.verifyConsistency(fromSize, toSize, fromRoot, toRoot, path);
  }

  /** Whether this proves {@code earlier} and {@code later} consistent (sizes and roots). */
  public boolean verifies(Checkpoint earlier, Checkpoint later) {
    return earlier.treeSize() == fromSize
        && later.treeSize() == toSize
        && verifies(earlier.rootHash(), later.rootHash());
  }
}
