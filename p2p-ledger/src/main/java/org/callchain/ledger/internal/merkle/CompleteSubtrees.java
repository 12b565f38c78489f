package org.callchain.ledger.internal.merkle;

import org.callchain.ledger.Hash256;

/**
 * Read access to the hashes of a tree's complete subtrees: node {@code (level, index)} is the root
 * of the perfect subtree over leaves {@code [index << level, (index + 1) << level)}. Level 0 holds
 * the leaf hashes. Storing exactly these nodes (about 2n for n leaves) makes every root and proof
 * of any size computable with O(log n) reads, because a log only ever grows on the right.
 */
@FunctionalInterface
public interface CompleteSubtrees {
  /**
   * The node's hash; the node must be complete in the tree being read.
   *
   * @throws IllegalStateException if the store does not have it (the store is corrupt)
   */
  Hash256 node(int level, long index);
}
