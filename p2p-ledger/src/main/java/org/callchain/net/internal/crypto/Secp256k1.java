package org.callchain.net.internal.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * secp256k1 as libp2p uses it (peer-ids spec, "Secp256k1"): a public key is the 33-byte compressed
 * SEC1 point, a private key the 32-byte big-endian scalar, and a signature is ECDSA over the
 * SHA-256 digest of the message, DER-encoded. Signatures are normalised to low S because
 * js-libp2p's verifier (noble-curves) rejects high-S signatures; verification accepts both. Nonces
 * are deterministic (RFC 6979), so signing needs no randomness.
 */
public final class Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  private Secp256k1() {}

  /** A fresh random private scalar in [1, n-1], as 32 big-endian bytes. */
  public static byte[] generatePrivateKey(SecureRandom random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0);
    return toFixed32(d);
  }

  /** Checks a 32-byte private scalar; returns it as a number. */
  public static BigInteger privateScalar(byte[] privateKey) {
    if (privateKey.length != 32) {
      throw new IllegalArgumentException("a secp256k1 private key has 32 bytes");
    }
    BigInteger d = new BigInteger(1, privateKey);
    if (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0) {
      throw new IllegalArgumentException("secp256k1 private key out of range");
    }
    return d;
  }

  /** The compressed 33-byte public key of a private key. */
  public static byte[] publicKey(byte[] privateKey) {
    return DOMAIN.getG().multiply(privateScalar(privateKey)).normalize().getEncoded(true);
  }

  /**
   * Decodes a SEC1 public key (compressed or uncompressed) and returns it compressed.
   *
   * @throws IllegalArgumentException if the bytes are not a point on the curve
   */
  public static byte[] compress(byte[] publicKey) {
    return decodePublicKey(publicKey).getEncoded(true);
  }

  /**
   * Decodes and validates a SEC1 public key (compressed or uncompressed) into a normalised curve
   * point. Decompression costs a field square root, so callers that verify many signatures of one
   * key keep the point and use {@link #verify(ECPoint, byte[], byte[])}; Bouncy Castle also keeps
   * its multiplication tables on the point object, which a reused point amortises.
   *
   * @throws IllegalArgumentException if the bytes are not a point on the curve
   */
  public static ECPoint decodePublicKey(byte[] publicKey) {
    ECPoint point = CURVE.getCurve().decodePoint(publicKey);
    if (point.isInfinity() || !point.isValid()) {
      throw new IllegalArgumentException("not a secp256k1 point");
    }
    return point.normalize();
  }

  /** Signs SHA-256(message); returns a DER-encoded low-S signature. */
  public static byte[] sign(byte[] privateKey, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(privateScalar(privateKey), DOMAIN));
    BigInteger[] rs = signer.generateSignature(Hashes.sha256(message));
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
          .getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }

  /** Verifies a DER-encoded signature over SHA-256(message); false on any malformed input. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] derSignature) {
    ECPoint point;
    try {
      point = decodePublicKey(publicKey);
    } catch (RuntimeException e) {
      return false;
    }
    return verify(point, message, derSignature);
  }

  /** Verifies a DER-encoded signature over SHA-256(message) with an already decoded key. */
  public static boolean verify(ECPoint publicKey, byte[] message, byte[] derSignature) {
    try {
      ASN1Primitive parsed = ASN1Primitive.fromByteArray(derSignature);
      if (!(parsed instanceof ASN1Sequence seq) || seq.size() != 2) {
        return false;
      }
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, new ECPublicKeyParameters(publicKey, DOMAIN));
      return verifier.verifySignature(Hashes.sha256(message), r, s);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] toFixed32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }
}
