package org.callchain.identity.internal.secp256k1;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Recoverable secp256k1 signing and recovery of 32-byte digests, through web3j (which signs with
 * RFC 6979 deterministic nonces and low {@code s}). Recovery rejects high-{@code s} signatures
 * (EIP-2) and zero or out-of-range {@code r}/{@code s}, so malleated signatures never verify.
 */
public final class Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger HALF_ORDER = CURVE.getN().shiftRight(1);

  private Secp256k1() {}

  /** Signs a 32-byte digest; returns {@code r || s || v} with v in {27, 28}. */
  public static byte[] sign(byte[] digest, ECKeyPair key) {
    Sign.SignatureData sig = Sign.signMessage(digest, key, false);
    byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  /**
   * Signs a 32-byte digest and returns only {@code r || s} (64 bytes, low {@code s}), the JWS
   * ES256K form (RFC 8812 §3.2, RFC 7518 §3.4).
   */
  public static byte[] signRs(byte[] digest, ECKeyPair key) {
    return Arrays.copyOf(sign(digest, key), 64);
  }

  /**
   * Whether the 64-byte {@code r || s} over {@code digest} was made by the key whose address is
   * {@code address}. Without a recovery byte both recovery ids (0 and 1) are tried; ids 2 and 3 (an
   * {@code r} that overflowed the group order, probability about 2^-128) are not.
   */
  public static boolean verifyRs(byte[] digest, byte[] rs, byte[] address) {
    if (rs.length != 64) {
      return false;
    }
    for (int v = 27; v <= 28; v++) {
      byte[] rsv = Arrays.copyOf(rs, 65);
      rsv[64] = (byte) v;
      Optional<byte[]> signer = recover(digest, rsv);
      if (signer.isPresent() && Arrays.equals(signer.get(), address)) {
        return true;
      }
    }
    return false;
  }

  /** The 20-byte address that signed {@code digest}, or empty if the signature is malformed. */
  public static Optional<byte[]> recover(byte[] digest, byte[] signature) {
    if (signature.length != 65) {
      return Optional.empty();
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    int v = signature[64] & 0xff;
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(CURVE.getN()) >= 0
        || s.compareTo(HALF_ORDER) > 0
        || (v != 27 && v != 28)) {
      return Optional.empty();
    }
    try {
      BigInteger publicKey =
          Sign.signedMessageHashToKey(
              digest,
              new Sign.SignatureData(
                  (byte) v,
                  Arrays.copyOfRange(signature, 0, 32),
                  Arrays.copyOfRange(signature, 32, 64)));
      return Optional.of(Numeric.hexStringToByteArray(Keys.getAddress(publicKey)));
    } catch (SignatureException | RuntimeException e) {
      // A signature whose r is not the x coordinate of a curve point recovers nothing.
      return Optional.empty();
    }
  }

  /**
   * The 20-byte address of a SEC1 public key (33-byte compressed or 65-byte uncompressed): the last
   * 20 bytes of Keccak-256 over the 64-byte X || Y (Ethereum Yellow Paper, Appendix F).
   *
   * @throws IllegalArgumentException if the bytes are not a point on the curve
   */
  public static byte[] addressOfPublicKey(byte[] sec1) {
    byte[] uncompressed = CURVE.getCurve().decodePoint(sec1).getEncoded(false);
    return Numeric.hexStringToByteArray(
        Keys.getAddress(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 65))));
  }

  /** The 32-byte big-endian private key of a key pair. */
  public static byte[] privateKeyBytes(ECKeyPair key) {
    return Numeric.toBytesPadded(key.getPrivateKey(), 32);
  }

  /** The 20-byte address of a key pair. */
  public static byte[] address(ECKeyPair key) {
    return Numeric.hexStringToByteArray(Keys.getAddress(key));
  }
}
