package org.callchain.chain;

/**
 * What one anchor commits to: a device log's tree size and root hash. The ledger's signed
 * checkpoint carries more (time, signature); the chain needs only these two.
 */
public record AnchorCheckpoint(long treeSize, RootHash root) {
  public AnchorCheckpoint {
    if (treeSize <= 0) {
      throw new IllegalArgumentException("an anchored tree has at least one leaf: " + treeSize);
    }
    if (root == null) {
      throw new IllegalArgumentException("root is required");
    }
  }
}
