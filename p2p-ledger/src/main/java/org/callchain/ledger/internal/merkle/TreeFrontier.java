package org.callchain.ledger.internal.merkle;

import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.Hash256;

/**
 * The right edge of a growing tree: for every level, the last complete node if it still waits for
 * its right sibling. Appending a leaf hash yields the complete-subtree nodes that the leaf
 * completes (the leaf itself at level 0, then one parent per carry), which is exactly what a store
 * of {@link CompleteSubtrees} must write for that leaf.
 */
public final class TreeFrontier {
  /** A newly complete node. */
  public record Node(int level, long index, Hash256 hash) {}

  private final List<Hash256> pending = new ArrayList<>();
  private long size;

  private TreeFrontier(long size) {
    this.size = size;
  }

  /** An empty tree's frontier. */
  public static TreeFrontier empty() {
    return new TreeFrontier(0);
  }

  /** The frontier of a stored tree of {@code size} leaves, read from its complete nodes. */
  public static TreeFrontier of(long size, CompleteSubtrees nodes) {
    TreeFrontier f = new TreeFrontier(size);
    for (int level = 0; (size >>> level) != 0; level++) {
      long count = size >>> level;
      f.pending.add((count & 1) == 1 ? nodes.node(level, count - 1) : null);
    }
    return f;
  }

  public long size() {
    return size;
  }

  /** Appends one leaf hash; returns the nodes it completes, leaf first. */
  public List<Node> append(Hash256 leafHash) {
    List<Node> done = new ArrayList<>(2);
    long index = size;
    Hash256 hash = leafHash;
    int level = 0;
    done.add(new Node(0, index, hash));
    while ((index & 1) == 1) {
      Hash256 left = pending.get(level);
      pending.set(level, null);
      hash = MerkleHashing.nodeHash(left, hash);
      index >>>= 1;
      level++;
      done.add(new Node(level, index, hash));
    }
    while (pending.size() <= level) {
      pending.add(null);
    }
    pending.set(level, hash);
    size++;
    return done;
  }

  /** MTH of the whole tree: the pending nodes folded right to left (RFC 9162 §2.1.1). */
  public Hash256 root() {
    Hash256 root = null;
    for (Hash256 h : pending) {
      if (h != null) {
        root = root == null ? h : MerkleHashing.nodeHash(h, root);
      }
    }
    return root == null ? MerkleHashing.EMPTY_ROOT : root;
  }

  public TreeFrontier copy() {
    TreeFrontier f = new TreeFrontier(size);
    f.pending.addAll(pending);
    return f;
  }
}
