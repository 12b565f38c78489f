package org.callchain.ledger.internal.merkle;

import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.Hash256;

/**
 * The verification algorithms of RFC 9162, step by step as the RFC writes them: inclusion
 * (§2.1.3.2) and consistency (§2.1.4.2). They need no tree, only the proof, the sizes and the
 * hashes, so a verifier trusts nothing but a signed root.
 */
public final class ProofVerification {
  private ProofVerification() {}

  /** RFC 9162 §2.1.3.2: whether {@code path} proves leaf {@code index} in the tree {@code root}. */
  public static boolean verifyInclusion(
      long index, long size, Hash256 leafHash, List<Hash256> path, Hash256 root) {
    // Step 1.
    if (index < 0 || index >= size) {
      return false;
    }
    // Step 2.
    long fn = index;
    long sn = size - 1;
    // Step 3.
    Hash256 r = leafHash;
    // Step 4.
    for (Hash256 p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashing.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = MerkleHashing.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    // Step 5.
    return sn == 0 && r.equals(root);
  }

  /**
   * RFC 9162 §2.1.4.2: whether {@code path} proves the tree {@code (first, firstHash)} is a prefix
   * of {@code (second, secondHash)}. The RFC defines proofs for 0 &lt; first &lt; second; equal
   * sizes are consistent exactly when the roots are equal and the path is empty, and the empty tree
   * (first = 0) is a prefix of every tree, also with an empty path.
   */
  public static boolean verifyConsistency(
      long first, long second, Hash256 firstHash, Hash256 secondHash, List<Hash256> path) {
    if (first < 0 || first > second) {
      return false;
    }
    if (first == second) {
      return path.isEmpty() && firstHash.equals(secondHash);
    }
    if (first == 0) {
      return path.isEmpty();
    }
    // Step 1.
    if (path.isEmpty()) {
      return false;
    }
    // Step 2.
    List<Hash256> full = path;
    if (MerkleHashing.isPowerOfTwo(first)) {
      full = new ArrayList<>(path.size() + 1);
      full.add(firstHash);
      full.addAll(path);
    }
    Roots roots = computeRoots(first, second, full);
    // Step 7.
    return roots != null && roots.first().equals(firstHash) && roots.second().equals(secondHash);
  }

  /** The two roots a full consistency path (its first element is never implied) reconstructs. */
  public record Roots(Hash256 first, Hash256 second) {}

  /**
   * Steps 3 to 6 of RFC 9162 §2.1.4.2 on a path whose first element is present (prepended for a
   * power-of-two {@code first}); returns null where the RFC says "fail" or sn does not end at 0.
   */
  public static Roots computeRoots(long first, long second, List<Hash256> full) {
    if (first <= 0 || first >= second || full.isEmpty()) {
      return null;
    }
    // Step 3.
    long fn = first - 1;
    long sn = second - 1;
    // Step 4.
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    // Step 5.
    Hash256 fr = full.get(0);
    Hash256 sr = full.get(0);
    // Step 6.
    for (int i = 1; i < full.size(); i++) {
      Hash256 c = full.get(i);
      if (sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashing.nodeHash(c, fr);
        sr = MerkleHashing.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = MerkleHashing.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? new Roots(fr, sr) : null;
  }
}
