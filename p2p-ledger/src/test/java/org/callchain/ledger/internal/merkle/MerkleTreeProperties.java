package org.callchain.ledger.internal.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.testing.MerkleReference;

/**
 * RFC 9162 §2.1 properties of the tree: roots equal the RFC's literal MTH definition, every
 * inclusion proof (§2.1.3) and consistency proof (§2.1.4) verifies with the RFC's verification
 * algorithms, and every altered proof, wrong size, m &gt; n or out-of-range index is rejected.
 */
class MerkleTreeProperties {

  private static List<Hash256> leaves(int n, long seed) {
    List<Hash256> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(MerkleHashing.leafHash(ByteBuffer.allocate(16).putLong(seed).putLong(i).array()));
    }
    return out;
  }

  @Property(tries = 30)
  void rootMatchesTheRfcDefinitionAndTheFrontier(
      @ForAll @IntRange(min = 0, max = 3000) int n, @ForAll long seed) {
    List<Hash256> leaves = leaves(n, seed);
    Hash256 reference = MerkleReference.mth(leaves);
    MerkleProofs proofs = new MerkleProofs(MerkleReference.subtrees(leaves));
    TreeFrontier frontier = TreeFrontier.empty();
    leaves.forEach(frontier::append);
    assertThat(proofs.root(n)).isEqualTo(reference);
    assertThat(frontier.root()).isEqualTo(reference);
  }

  @Property(tries = 25)
  void everyInclusionProofVerifiesAndAlteredOnesFail(
      @ForAll @IntRange(min = 1, max = 2500) int n, @ForAll long seed) {
    List<Hash256> grown = leaves(n + 1, seed);
    List<Hash256> leaves = grown.subList(0, n);
    MerkleProofs proofs = new MerkleProofs(MerkleReference.subtrees(leaves));
    Hash256 root = proofs.root(n);
    // The root of the same log one leaf later: a proof must not carry over to it.
    Hash256 grownRoot = MerkleReference.mth(grown);
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      List<Hash256> path = proofs.inclusionPath(i, n);
      assertThat(ProofVerification.verifyInclusion(i, n, leaves.get(i), path, root)).isTrue();
      // The same path never proves another leaf, index or size.
      int other = (i + 1 + random.nextInt(n)) % n;
      if (other != i) {
        assertThat(ProofVerification.verifyInclusion(i, n, leaves.get(other), path, root))
            .isFalse();
        assertThat(ProofVerification.verifyInclusion(other, n, leaves.get(i), path, root))
            .isFalse();
      }
      assertThat(ProofVerification.verifyInclusion(i, n + 1, leaves.get(i), path, grownRoot))
          .isFalse();
      assertThat(ProofVerification.verifyInclusion(n, n, leaves.get(i), path, root)).isFalse();
      assertThat(ProofVerification.verifyInclusion(-1, n, leaves.get(i), path, root)).isFalse();
      if (!path.isEmpty()) {
        assertThat(
                ProofVerification.verifyInclusion(i, n, leaves.get(i), flipOne(path, random), root))
            .isFalse();
        assertThat(
                ProofVerification.verifyInclusion(
                    i, n, leaves.get(i), path.subList(0, path.size() - 1), root))
            .isFalse();
      }
      List<Hash256> longer = new ArrayList<>(path);
      longer.add(root);
      assertThat(ProofVerification.verifyInclusion(i, n, leaves.get(i), longer, root)).isFalse();
    }
  }

  @Property(tries = 25)
  void everyConsistencyProofVerifiesAndAlteredOnesFail(
      @ForAll @IntRange(min = 1, max = 2000) int n, @ForAll long seed) {
    List<Hash256> grown = leaves(n + 1, seed);
    List<Hash256> leaves = grown.subList(0, n);
    MerkleProofs proofs = new MerkleProofs(MerkleReference.subtrees(leaves));
    Hash256 second = proofs.root(n);
    Hash256 grownRoot = MerkleReference.mth(grown);
    Random random = new Random(seed);
    // All m for small trees; a sample of 300 for large ones keeps the run short.
    int samples = Math.min(n, 300);
    for (int s = 1; s <= samples; s++) {
      long m = n <= 300 ? s : 1 + random.nextInt(n);
      Hash256 first = proofs.root(m);
      List<Hash256> path = m == n ? List.of() : proofs.consistencyPath(m, n, true);
      assertThat(ProofVerification.verifyConsistency(m, n, first, second, path)).isTrue();
      assertThat(ProofVerification.verifyConsistency(n, m, second, first, path)).isEqualTo(m == n);
      if (m < n) {
        assertThat(ProofVerification.verifyConsistency(m, n, first, second, flipOne(path, random)))
            .isFalse();
        assertThat(
                ProofVerification.verifyConsistency(
                    m, n, first, second, path.subList(0, path.size() - 1)))
            .isFalse();
        assertThat(ProofVerification.verifyConsistency(m, n + 1, first, grownRoot, path)).isFalse();
        assertThat(ProofVerification.verifyConsistency(m, n, second, second, path)).isFalse();
        if (m > 1) {
          assertThat(
                  ProofVerification.verifyConsistency(m - 1, n, proofs.root(m - 1), second, path))
              .isFalse();
        }
        // The evidence form (old root always present) reconstructs both roots.
        ProofVerification.Roots roots =
            ProofVerification.computeRoots(m, n, proofs.consistencyPath(m, n, false));
        assertThat(roots).isEqualTo(new ProofVerification.Roots(first, second));
      }
    }
  }

  @Property(tries = 200)
  void malformedRequestsAreRejected(
      @ForAll @LongRange(min = 1, max = 1_000_000) long n, @ForAll long seed) {
    Hash256 h = MerkleHashing.leafHash(ByteBuffer.allocate(8).putLong(seed).array());
    assertThat(ProofVerification.verifyInclusion(n, n, h, List.of(), h)).isFalse();
    assertThat(ProofVerification.verifyInclusion(n + 5, n, h, List.of(h), h)).isFalse();
    assertThat(ProofVerification.verifyConsistency(n + 1, n, h, h, List.of())).isFalse();
    assertThat(ProofVerification.verifyConsistency(n + 1, n, h, h, List.of(h))).isFalse();
    assertThat(ProofVerification.verifyConsistency(-1, n, h, h, List.of())).isFalse();
    if (n > 1) {
      // RFC 9162 §2.1.4.2 step 1: an empty path proves nothing for 0 < m < n.
      assertThat(ProofVerification.verifyConsistency(1, n, h, h, List.of())).isFalse();
    }
  }

  private static List<Hash256> flipOne(List<Hash256> path, Random random) {
    List<Hash256> copy = new ArrayList<>(path);
    int i = random.nextInt(copy.size());
    byte[] b = copy.get(i).toBytes();
    b[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
    copy.set(i, Hash256.wrap(b));
    return copy;
  }
}
