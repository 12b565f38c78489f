package org.callchain.identity.internal.secp256k1;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointPreCompInfo;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.util.BigIntegers;

/**
 * A secp256k1 public key prepared for many ECDSA verifications (SEC 1 v2 §4.1.4): fixed-base comb
 * tables (Lim–Lee) for both the generator G and the key Q, so that {@code u1·G + u2·Q} costs one
 * shared run of about 43 doublings with two table additions each, instead of the GLV/wNAF ladder
 * (about 128 doublings) that a key without tables needs. Both tables come from Bouncy Castle's
 * {@link FixedPointUtil}; the variable-time lookup is used because verification handles public data
 * only (the signature, the digest and the public key).
 *
 * <p>It decides exactly what Bouncy Castle's {@code ECDSASigner.verifySignature} decides for the
 * same key, digest, {@code r} and {@code s}: {@code e} is the digest's leftmost bits (SEC 1 §4.1.4
 * step 3), and the signature holds iff the point is not at infinity and its affine x modulo n
 * equals {@code r}. Range checks ({@code 0 < r, s < n}, low {@code s}) are the caller's, as they
 * are in {@link Secp256k1#verifyRs}. A table takes about 4 KiB; one is built per remembered key.
 */
final class CombVerificationKey {
  private final ECPoint q;
  private final FixedPointPreCompInfo gComb;
  private final FixedPointPreCompInfo qComb;
  private final ECPoint offsets;
  private final BigInteger n;
  private final int columns;

  /**
   * @param q the public key, a point of {@code g}'s curve
   * @param g the generator
   * @param n the order of {@code g}
   */
  CombVerificationKey(ECPoint q, ECPoint g, BigInteger n) {
    this.q = q.normalize();
    this.n = n;
    this.gComb = FixedPointUtil.precompute(g);
    this.qComb = FixedPointUtil.precompute(this.q);
    if (gComb.getWidth() != qComb.getWidth()) {
      // Tables of one curve built by FixedPointUtil share one width; only a table that some
      // other code built wider for G could differ, and then the columns would not line up.
      throw new IllegalStateException(
          "comb widths differ: " + gComb.getWidth() + " and " + qComb.getWidth());
    }
    int bits = FixedPointUtil.getCombSize(g.getCurve());
    this.columns = (bits + gComb.getWidth() - 1) / gComb.getWidth();
    // Every table entry carries one extra copy of its base so that no entry is the point at
    // infinity; over the run those copies add up to (2^columns - 1)·base, which the offset undoes.
    this.offsets = gComb.getOffset().add(qComb.getOffset()).normalize();
  }

  /** The public key this was built for. */
  ECPoint publicKey() {
    return q;
  }

  /** Whether {@code (r, s)} is a signature by this key over {@code digest}. */
  boolean verify(byte[] digest, BigInteger r, BigInteger s) {
    BigInteger e = leftmostBits(digest);
    BigInteger w = BigIntegers.modOddInverseVar(n, s);
    BigInteger u1 = e.multiply(w).mod(n);
    BigInteger u2 = r.multiply(w).mod(n);
    ECPoint point = sumOfCombs(u1, u2).normalize();
    if (point.isInfinity()) {
      return false;
    }
    return point.getAffineXCoord().toBigInteger().mod(n).equals(r);
  }

  /**
   * {@code u1·G + u2·Q}, both scalars below n. Column {@code i} of a comb is bit {@code columns - 1
   * - i} of each of the {@code width} blocks of {@code columns} bits; the table entry for those
   * bits is added after the running sum is doubled, so the two combs share every doubling.
   */
  private ECPoint sumOfCombs(BigInteger u1, BigInteger u2) {
    ECCurve curve = q.getCurve();
    int width = gComb.getWidth();
    int combBits = columns * width;
    int[] k1 = Nat.fromBigInteger(combBits, u1);
    int[] k2 = Nat.fromBigInteger(combBits, u2);
    ECLookupTable gTable = gComb.getLookupTable();
    ECLookupTable qTable = qComb.getLookupTable();
    ECPoint sum = curve.getInfinity();
    for (int i = 0; i < columns; i++) {
      int gIndex = 0;
      int qIndex = 0;
      for (int bit = combBits - 1 - i; bit >= 0; bit -= columns) {
        gIndex = (gIndex << 1) | ((k1[bit >>> 5] >>> (bit & 31)) & 1);
        qIndex = (qIndex << 1) | ((k2[bit >>> 5] >>> (bit & 31)) & 1);
      }
      sum = sum.twicePlus(gTable.lookupVar(gIndex)).add(qTable.lookupVar(qIndex));
    }
    return sum.add(offsets);
  }

  /** SEC 1 v2 §4.1.4 step 3: the digest as an integer, cut to n's bit length. */
  private BigInteger leftmostBits(byte[] digest) {
    BigInteger e = new BigInteger(1, digest);
    int excess = digest.length * 8 - n.bitLength();
    return excess > 0 ? e.shiftRight(excess) : e;
  }
}
