package org.callchain.ledger.internal.merkle;

import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.Hash256;

/**
 * Roots and proofs of RFC 9162 §2.1 computed from stored complete subtrees. The recursions follow
 * the RFC's definitions (MTH §2.1.1, PATH §2.1.3.1, PROOF/SUBPROOF §2.1.4.1) over leaf ranges; a
 * range that is a complete aligned subtree is read from the store instead of being recursed into,
 * so each proof costs O(log n) node reads for the left spine plus O(log n) for the ragged right
 * edge.
 */
public final class MerkleProofs {
  private final CompleteSubtrees nodes;

  public MerkleProofs(CompleteSubtrees nodes) {
    this.nodes = nodes;
  }

  /** MTH(D[n]) for the first {@code size} leaves. */
  public Hash256 root(long size) {
    return size == 0 ? MerkleHashing.EMPTY_ROOT : rangeHash(0, size);
  }

  /** MTH of leaves {@code [start, start + size)}, size &gt; 0. */
  Hash256 rangeHash(long start, long size) {
    if (MerkleHashing.isPowerOfTwo(size) && start % size == 0) {
      int level = Long.numberOfTrailingZeros(size);
      return nodes.node(level, start >>> level);
    }
    long k = MerkleHashing.splitPoint(size);
    return MerkleHashing.nodeHash(rangeHash(start, k), rangeHash(start + k, size - k));
  }

  /** PATH(m, D[n]) of RFC 9162 §2.1.3.1, ordered from the leaf's sibling up to the root. */
  public List<Hash256> inclusionPath(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
    }
    List<Hash256> path = new ArrayList<>();
    path(index, 0, size, path);
    return path;
  }

  private void path(long m, long start, long n, List<Hash256> out) {
    if (n == 1) {
      return;
    }
    long k = MerkleHashing.splitPoint(n);
    if (m < k) {
      path(m, start, k, out);
      out.add(rangeHash(start + k, n - k));
    } else {
      path(m - k, start + k, n - k, out);
      out.add(rangeHash(start, k));
    }
  }

  /**
   * PROOF(m, D[n]) of RFC 9162 §2.1.4.1 for 0 &lt; m &lt; n. With {@code rfcForm} false the root of
   * the first m leaves is always included (SUBPROOF with b = false), which is the form used as
   * equivocation evidence: it pins the old root without trusting the verifier's copy.
   */
  public List<Hash256> consistencyPath(long m, long n, boolean rfcForm) {
    if (m <= 0 || m > n) {
      throw new IllegalArgumentException("no consistency proof from size " + m + " to " + n);
    }
    List<Hash256> path = new ArrayList<>();
    subproof(m, 0, n, rfcForm, path);
    return path;
  }

  private void subproof(long m, long start, long n, boolean b, List<Hash256> out) {
    if (m == n) {
      if (!b) {
        out.add(rangeHash(start, n));
      }
      return;
    }
    long k = MerkleHashing.splitPoint(n);
    if (m <= k) {
      subproof(m, start, k, b, out);
      out.add(rangeHash(start + k, n - k));
    } else {
      subproof(m - k, start + k, n - k, false, out);
      out.add(rangeHash(start, k));
    }
  }
}
