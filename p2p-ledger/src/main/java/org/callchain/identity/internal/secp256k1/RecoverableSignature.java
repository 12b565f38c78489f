package org.callchain.identity.internal.secp256k1;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.utils.Numeric;

/**
 * A secp256k1 ECDSA signature with its recovery id, made in one pass (SEC 1 v2 §4.1.3): the
 * recovery id is read off the nonce point {@code R = k·G} that the signature is made from (bit 0:
 * the parity of R's y, bit 1: R's x was at least n), and flipped with {@code s} when {@code s} is
 * replaced by {@code n - s} for low {@code s} (EIP-2), since {@code -R} has the other parity.
 *
 * <p>web3j's {@code Sign.signMessage} makes the same signature (RFC 6979 nonce with HMAC-SHA-256,
 * low {@code s}) but finds the recovery id afterwards by recovering the public key for each
 * candidate id, up to four point multiplications, three times the cost of the signature itself
 * (docs/node.md, "Where ON's extra CPU goes"). The nonce, {@code r} and {@code s} are computed as
 * Bouncy Castle's {@code ECDSASigner} computes them, so the bytes are web3j's.
 *
 * @param r 32 bytes, big-endian
 * @param s 32 bytes, big-endian, at most n / 2
 * @param recoveryId 0 to 3
 */
public record RecoverableSignature(byte[] r, byte[] s, int recoveryId) {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);

  /**
   * Signs a 32-byte digest with the private scalar {@code d} (1 ≤ d < n).
   *
   * @throws IllegalArgumentException if the digest is not 32 bytes or {@code d} is out of range
   */
  public static RecoverableSignature sign(byte[] digest, BigInteger d) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a secp256k1 digest has 32 bytes, not " + digest.length);
    }
    if (d.signum() <= 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("secp256k1 private key out of range");
    }
    // SEC 1 §4.1.3 step 5: the digest is as long as n, so e is the digest as an integer.
    BigInteger e = new BigInteger(1, digest);
    HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
    nonces.init(N, d, digest);
    FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
    while (true) {
      BigInteger k = nonces.nextK();
      ECPoint p = multiplier.multiply(CURVE.getG(), k).normalize();
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(N);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int recoveryId = (p.getAffineYCoord().testBitZero() ? 1 : 0) | (x.compareTo(N) >= 0 ? 2 : 0);
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s);
        recoveryId ^= 1;
      }
      return new RecoverableSignature(
          Numeric.toBytesPadded(r, 32), Numeric.toBytesPadded(s, 32), recoveryId);
    }
  }

  /** {@code r || s || v} with {@code v = 27 + recovery id}, the form Ethereum's ecrecover takes. */
  public byte[] toRsv() {
    byte[] out = new byte[65];
    System.arraycopy(r, 0, out, 0, 32);
    System.arraycopy(s, 0, out, 32, 32);
    out[64] = (byte) (27 + recoveryId);
    return out;
  }
}
