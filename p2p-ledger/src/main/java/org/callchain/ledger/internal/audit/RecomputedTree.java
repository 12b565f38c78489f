package org.callchain.ledger.internal.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.merkle.MerkleProofs;

/**
 * The Merkle tree (RFC 9162 §2.1) that a device's stored leaf bytes imply, computed from those
 * bytes alone, never from stored nodes. A missing leaf makes every node above it unknown (null).
 */
final class RecomputedTree {
  /** Recomputed leaf hashes (null where the leaf is missing), by index. */
  private final Hash256[] leafHashes;

  /** Complete interior nodes already computed, by level then index. */
  private final List<Map<Long, Hash256>> memo = new ArrayList<>(64);

  RecomputedTree(int size) {
    this.leafHashes = new Hash256[size];
    for (int i = 0; i < 64; i++) {
      memo.add(new HashMap<>());
    }
  }

  void putLeaf(long index, byte[] leaf) {
    leafHashes[(int) index] = MerkleHashing.leafHash(leaf);
  }

  /** The leaf's recomputed hash, or null if the leaf is missing. */
  Hash256 leaf(long index) {
    return leafHashes[(int) index];
  }

  /** MTH of leaves [0, size), or null if one of them is missing. */
  Hash256 root(long size) {
    for (long i = 0; i < size; i++) {
      if (i >= leafHashes.length || leafHashes[(int) i] == null) {
        return null;
      }
    }
    return proofs().root(size);
  }

  /** Proofs over this tree, for consistency checks between checkpoints. */
  MerkleProofs proofs() {
    return new MerkleProofs(this::node);
  }

  /** The hash a complete node must have, from the leaves alone (null if a leaf is missing). */
  Hash256 node(int level, long index) {
    if (level == 0) {
      return index < leafHashes.length ? leafHashes[(int) index] : null;
    }
    Hash256 cached = memo.get(level).get(index);
    if (cached != null) {
      return cached;
    }
    Hash256 l = node(level - 1, 2 * index);
    Hash256 r = node(level - 1, 2 * index + 1);
    Hash256 h = l == null || r == null ? null : MerkleHashing.nodeHash(l, r);
    if (h != null) {
      memo.get(level).put(index, h);
    }
    return h;
  }
}
