package org.callchain.ledger;

/**
 * A stored complete-subtree hash: the root of the perfect subtree over leaves {@code [index <<
 * level, (index + 1) << level)}. Level 0 nodes are leaf hashes.
 */
public record TreeNode(int level, long index, Hash256 hash) {}
