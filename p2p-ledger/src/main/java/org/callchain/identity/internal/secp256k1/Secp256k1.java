package org.callchain.identity.internal.secp256k1;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
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
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final int KNOWN_KEYS_MAX = 4096;
  private static final int COMB_KEYS_MAX = 128;

  // Address (hex) to public key, least recently used evicted: a phone verifies a few thousand
  // registered devices at most.
  private static final Map<String, ECPublicKeyParameters> KNOWN_KEYS =
      leastRecentlyUsed(KNOWN_KEYS_MAX);

  // Address (hex) to comb tables (CombVerificationKey, 64 KiB each) for keys seen at least twice,
  // least recently used evicted: the devices that call often. A key verified once, such as a
  // caller that only ever tries one call, costs no table.
  private static final Map<String, CombVerificationKey> COMB_KEYS =
      leastRecentlyUsed(COMB_KEYS_MAX);

  /** A synchronized map that evicts its least recently used entry beyond {@code max} entries. */
  private static <V> Map<String, V> leastRecentlyUsed(int max) {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> e) {
            return size() > max;
          }
        });
  }

  private Secp256k1() {}

  /**
   * Signs a 32-byte digest; returns {@code r || s || v} with v in {27, 28}: web3j's {@code
   * Sign.signMessage} bytes, with the recovery id taken from the nonce point ({@link
   * RecoverableSignature}) instead of searched for.
   */
  public static byte[] sign(byte[] digest, ECKeyPair key) {
    return RecoverableSignature.sign(digest, key.getPrivateKey()).toRsv();
  }

  /**
   * Signs a 32-byte digest and returns only {@code r || s} (64 bytes, low {@code s}), the JWS
   * ES256K form (RFC 8812 §3.2, RFC 7518 §3.4). Same RFC 6979 nonce and result as {@link #sign},
   * without the recovery id search (up to two public-key recoveries) that only {@code v} needs.
   */
  public static byte[] signRs(byte[] digest, ECKeyPair key) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(key.getPrivateKey(), DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    BigInteger s = rs[1].compareTo(HALF_ORDER) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    byte[] out = new byte[64];
    System.arraycopy(Numeric.toBytesPadded(rs[0], 32), 0, out, 0, 32);
    System.arraycopy(Numeric.toBytesPadded(s, 32), 0, out, 32, 32);
    return out;
  }

  /**
   * Whether the 64-byte {@code r || s} over {@code digest} was made by the key whose address is
   * {@code address}. The first time an address is seen its public key is recovered (both recovery
   * ids, 0 and 1, are tried; ids 2 and 3, an {@code r} that overflowed the group order, have
   * probability about 2^-128 and are not); after that the remembered key verifies directly, which
   * costs one ECDSA verification instead of up to two recoveries. Only a key that a valid signature
   * recovered to is remembered, so the cache cannot be poisoned. From its second verification on, a
   * remembered key verifies with comb tables ({@link CombVerificationKey}), which decides the same
   * as Bouncy Castle's verifier at about half its cost.
   */
  public static boolean verifyRs(byte[] digest, byte[] rs, byte[] address) {
    if (rs.length != 64) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64));
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(CURVE.getN()) >= 0
        || s.compareTo(HALF_ORDER) > 0) {
      return false;
    }
    String id = Numeric.toHexString(address);
    CombVerificationKey comb = COMB_KEYS.get(id);
    if (comb != null) {
      return comb.verify(digest, r, s);
    }
    ECPublicKeyParameters known = KNOWN_KEYS.get(id);
    if (known != null) {
      comb = new CombVerificationKey(known.getQ(), DOMAIN.getG(), DOMAIN.getN());
      COMB_KEYS.put(id, comb);
      return comb.verify(digest, r, s);
    }
    for (int v = 27; v <= 28; v++) {
      byte[] rsv = Arrays.copyOf(rs, 65);
      rsv[64] = (byte) v;
      Optional<BigInteger> publicKey = recoverKey(digest, rsv);
      if (publicKey.isPresent()
          && Arrays.equals(
              Numeric.hexStringToByteArray(Keys.getAddress(publicKey.get())), address)) {
        KNOWN_KEYS.put(id, publicKeyParameters(publicKey.get()));
        return true;
      }
    }
    return false;
  }

  private static ECPublicKeyParameters publicKeyParameters(BigInteger publicKey) {
    byte[] xy = Numeric.toBytesPadded(publicKey, 64);
    byte[] encoded = new byte[65];
    encoded[0] = 0x04;
    System.arraycopy(xy, 0, encoded, 1, 64);
    return new ECPublicKeyParameters(CURVE.getCurve().decodePoint(encoded), DOMAIN);
  }

  private static Optional<BigInteger> recoverKey(byte[] digest, byte[] rsv) {
    try {
      return Optional.of(
          Sign.signedMessageHashToKey(
              digest,
              new Sign.SignatureData(
                  rsv[64], Arrays.copyOfRange(rsv, 0, 32), Arrays.copyOfRange(rsv, 32, 64))));
    } catch (SignatureException | RuntimeException e) {
      return Optional.empty();
    }
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
