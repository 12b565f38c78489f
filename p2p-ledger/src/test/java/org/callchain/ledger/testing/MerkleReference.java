package org.callchain.ledger.testing;

import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.internal.merkle.CompleteSubtrees;
import org.callchain.ledger.internal.merkle.MerkleHashing;

/**
 * The RFC 9162 §2.1.1 Merkle Tree Hash written literally (recursive over the leaf list), as an
 * independent reference for tests, plus an in-memory {@link CompleteSubtrees} over a leaf list.
 */
public final class MerkleReference {
  private MerkleReference() {}

  /** MTH(D[n]) straight from the RFC's definition. */
  public static Hash256 mth(List<Hash256> leafHashes) {
    if (leafHashes.isEmpty()) {
      return MerkleHashing.EMPTY_ROOT;
    }
    if (leafHashes.size() == 1) {
      return leafHashes.get(0);
    }
    int k = (int) MerkleHashing.splitPoint(leafHashes.size());
    return MerkleHashing.nodeHash(
        mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, leafHashes.size())));
  }

  /** All complete subtree hashes of the given leaves, computed bottom up. */
  public static CompleteSubtrees subtrees(List<Hash256> leafHashes) {
    List<List<Hash256>> levels = new ArrayList<>();
    levels.add(leafHashes);
    while (levels.get(levels.size() - 1).size() > 1) {
      List<Hash256> below = levels.get(levels.size() - 1);
      List<Hash256> level = new ArrayList<>();
      for (int i = 0; i + 1 < below.size(); i += 2) {
        level.add(MerkleHashing.nodeHash(below.get(i), below.get(i + 1)));
      }
      levels.add(level);
    }
    return (level, index) -> levels.get(level).get((int) index);
  }
}
