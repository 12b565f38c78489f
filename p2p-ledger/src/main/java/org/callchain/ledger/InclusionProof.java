package org.callchain.ledger;

import java.util.List;
import java.util.Objects;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.merkle.ProofVerification;

/**
 * An RFC 9162 §2.1.3 inclusion proof: the audit path of leaf {@code leafIndex} in the tree of
 * {@code treeSize} leaves, sibling first.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash256> path) {
  public InclusionProof {
    Objects.requireNonNull(path, "path");
    path = List.copyOf(path);
  }

  /** RFC 9162 §2.1.3.2 for the leaf's encoded bytes against {@code root}. */
  public boolean verifies(byte[] leaf, Hash256 root) {
    return verifiesLeafHash(MerkleHashing.leafHash(leaf), root);
  }

  /** RFC 9162 §2.1.3.2 for an already computed leaf hash. */
  public boolean verifiesLeafHash(Hash256 leafHash, Hash256 root) {
    return ProofVerification.verifyInclusion(leafIndex, treeSize, leafHash, path, root);
  }
}
