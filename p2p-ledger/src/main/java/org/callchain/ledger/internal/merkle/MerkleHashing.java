package org.callchain.ledger.internal.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.callchain.ledger.Hash256;

/**
 * The hashes of RFC 9162 §2.1.1: the empty tree hashes to SHA-256 of nothing, a leaf to
 * SHA-256(0x00 || leaf), an interior node to SHA-256(0x01 || left || right). The distinct prefixes
 * keep a leaf from ever being taken for a node (second-preimage resistance).
 */
public final class MerkleHashing {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("the JDK has no SHA-256", e);
            }
          });

  /** MTH({}) = SHA-256() (RFC 9162 §2.1.1). */
  public static final Hash256 EMPTY_ROOT = Hash256.wrap(SHA256.get().digest());

  private MerkleHashing() {}

  public static Hash256 leafHash(byte[] leaf) {
    MessageDigest sha = SHA256.get();
    sha.update((byte) 0x00);
    sha.update(leaf);
    return Hash256.wrap(sha.digest());
  }

  public static Hash256 nodeHash(Hash256 left, Hash256 right) {
    byte[] buf = new byte[1 + 2 * Hash256.LENGTH];
    buf[0] = 0x01;
    left.copyTo(buf, 1);
    right.copyTo(buf, 1 + Hash256.LENGTH);
    return Hash256.wrap(SHA256.get().digest(buf));
  }

  /** The largest power of two strictly less than {@code n} (n &gt; 1), the split point k. */
  public static long splitPoint(long n) {
    return Long.highestOneBit(n - 1);
  }

  public static boolean isPowerOfTwo(long n) {
    return n > 0 && (n & (n - 1)) == 0;
  }
}
