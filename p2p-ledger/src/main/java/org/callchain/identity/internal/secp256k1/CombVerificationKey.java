package org.callchain.identity.internal.secp256k1;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.util.BigIntegers;

/**
 * A secp256k1 public key prepared for many ECDSA verifications (SEC 1 v2 §4.1.4): fixed-base comb
 * tables (Lim–Lee) for both the generator G and the key Q, so that {@code u1·G + u2·Q} costs one
 * shared run of 32 doublings with two table additions each, instead of the GLV/wNAF ladder (about
 * 128 doublings) that a key without tables needs. The tables sit in Bouncy Castle's cache-safe
 * lookup tables; the variable-time lookup is used because verification handles public data only
 * (the signature, the digest and the public key).
 *
 * <p>It decides exactly what Bouncy Castle's {@code ECDSASigner.verifySignature} decides for the
 * same key, digest, {@code r} and {@code s}: {@code e} is the digest's leftmost bits (SEC 1 §4.1.4
 * step 3), and the signature holds iff the point is not at infinity and its affine x modulo n
 * equals {@code r}. Range checks ({@code 0 < r, s < n}, low {@code s}) are the caller's, as they
 * are in {@link Secp256k1#verifyRs}. A table takes 64 KiB; one is built per remembered key.
 */
final class CombVerificationKey {
  /**
   * Bits of a scalar each table covers: 2^10 entries per table, so a verification takes ceil(256 /
   * 10) = 26 doublings and 52 additions (Bouncy Castle's own fixed-point tables are 6 bits wide: 43
   * and 86; 8 bits, 32 and 64, measured about 20 % slower with the inversion below, docs/node.md).
   */
  static final int WIDTH = 10;

  /** One fixed base's comb: its table and the correction for the base every entry carries. */
  private record Comb(ECLookupTable table, ECPoint offset) {}

  private static volatile Comb generatorComb;

  private final ECPoint q;
  private final Comb gComb;
  private final Comb qComb;
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
    this.columns = (n.bitLength() + WIDTH - 1) / WIDTH;
    this.gComb = generatorComb(g, columns);
    this.qComb = comb(this.q, columns);
    this.offsets = gComb.offset().add(qComb.offset()).normalize();
  }

  private static Comb generatorComb(ECPoint g, int columns) {
    Comb c = generatorComb;
    if (c == null || !c.offset().getCurve().equals(g.getCurve())) {
      c = comb(g.normalize(), columns);
      generatorComb = c;
    }
    return c;
  }

  /**
   * The table of {@code p} (Lim–Lee comb): entry {@code i} is {@code p + Σ 2^(t·columns)·p} over
   * the bits {@code t} set in {@code i}. The extra {@code p} keeps every entry off the point at
   * infinity (its coefficient is below the group order), so that all of them have affine
   * coordinates; over a run of {@code columns} doublings those copies add up to {@code (2^columns -
   * 1)·p}, which the offset {@code p - 2^columns·p} takes away again.
   */
  private static Comb comb(ECPoint p, int columns) {
    ECCurve curve = p.getCurve();
    ECPoint[] powers = new ECPoint[WIDTH + 1];
    powers[0] = p;
    for (int t = 1; t < WIDTH; t++) {
      powers[t] = powers[t - 1].timesPow2(columns);
    }
    powers[WIDTH] = p.subtract(powers[1]);
    curve.normalizeAll(powers);
    ECPoint[] entries = new ECPoint[1 << WIDTH];
    entries[0] = p;
    for (int i = 1; i < entries.length; i++) {
      // i without its lowest set bit is a smaller index, already filled in.
      entries[i] = entries[i & (i - 1)].add(powers[Integer.numberOfTrailingZeros(i)]);
    }
    curve.normalizeAll(entries);
    return new Comb(curve.createCacheSafeLookupTable(entries, 0, entries.length), powers[WIDTH]);
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
    ECPoint point = sumOfCombs(u1, u2);
    if (point.isInfinity()) {
      return false;
    }
    return affineXModNIs(point, r, n);
  }

  /**
   * Whether the point's affine x, reduced modulo n, is {@code r}, without the field inversion that
   * normalising costs: in Jacobian coordinates x = X / Z², so x ≡ r (mod n) with x < p holds iff X
   * = r·Z² or, when r + n is still below p, X = (r + n)·Z² (the check of SEC 1 §4.1.4 step 6–7
   * rewritten; p and n differ by less than 2^129, so r + n < p happens for a tiny share of r).
   */
  static boolean affineXModNIs(ECPoint point, BigInteger r, BigInteger n) {
    ECCurve curve = point.getCurve();
    if (curve.getCoordinateSystem() != ECCurve.COORD_JACOBIAN) {
      return point.normalize().getAffineXCoord().toBigInteger().mod(n).equals(r);
    }
    ECFieldElement x = point.getRawXCoord();
    ECFieldElement zz = point.getZCoord(0).square();
    if (curve.fromBigInteger(r).multiply(zz).equals(x)) {
      return true;
    }
    BigInteger rPlusN = r.add(n);
    return rPlusN.compareTo(curve.getField().getCharacteristic()) < 0
        && curve.fromBigInteger(rPlusN).multiply(zz).equals(x);
  }

  /**
   * {@code u1·G + u2·Q}, both scalars below n. Column {@code i} of a comb is bit {@code columns - 1
   * - i} of each of the {@code WIDTH} blocks of {@code columns} bits; the table entry for those
   * bits is added after the running sum is doubled, so the two combs share every doubling.
   */
  private ECPoint sumOfCombs(BigInteger u1, BigInteger u2) {
    ECCurve curve = q.getCurve();
    int combBits = columns * WIDTH;
    int[] k1 = Nat.fromBigInteger(combBits, u1);
    int[] k2 = Nat.fromBigInteger(combBits, u2);
    ECLookupTable gTable = gComb.table();
    ECLookupTable qTable = qComb.table();
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
