package org.callchain.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.callchain.identity.internal.secp256k1.Secp256k1;

/**
 * Verifies device signatures. The signed digest is {@code SHA-256(len(label) || label || message)}
 * with the domain label as ASCII and its length as one byte; see {@link SigningDomain}.
 * Verification recovers the signer's address from the signature (as Ethereum's {@code ecrecover}
 * does) and compares it with the expected device, so a verifier needs only the address, never a
 * public key.
 */
public final class SignatureVerifier {
  private SignatureVerifier() {}

  /** The 32-byte digest that is signed for {@code message} in {@code domain}. */
  public static byte[] digest(SigningDomain domain, byte[] message) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] label = domain.labelBytes();
      sha256.update((byte) label.length);
      sha256.update(label);
      sha256.update(message);
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The address that made {@code signature} over {@code message} in {@code domain}, or empty if the
   * signature is malformed (not on the curve, high {@code s}, out-of-range {@code r}/{@code s}).
   * Any well-formed signature recovers to <em>some</em> address; compare it with the expected one,
   * or use {@link #verify}.
   */
  public static Optional<DeviceAddress> recover(
      SigningDomain domain, byte[] message, DeviceSignature signature) {
    return Secp256k1.recover(digest(domain, message), signature.toBytes()).map(DeviceAddress::of);
  }

  /**
   * Whether {@code bytes} is a JWS Compact Serialization signing input (RFC 7515 §7.1): two
   * non-empty base64url texts (RFC 4648 §5, no padding) joined by one '.'.
   */
  public static boolean isJwsSigningInput(byte[] bytes) {
    int dot = -1;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '.') {
        if (dot >= 0) {
          return false;
        }
        dot = i;
      } else if (!isBase64Url(b)) {
        return false;
      }
    }
    return dot > 0 && dot < bytes.length - 1;
  }

  /**
   * Whether the 64-byte ES256K signature {@code rs} (RFC 8812 §3.2, {@code r || s}) over a JWS
   * signing input was made by {@code signer}'s key. High-{@code s} and out-of-range values are
   * refused, so a malleated copy of a valid signature does not verify.
   */
  public static boolean verifyJwsEs256k(DeviceAddress signer, byte[] signingInput, byte[] rs) {
    if (!isJwsSigningInput(signingInput)) {
      return false;
    }
    return Secp256k1.verifyRs(sha256(signingInput), rs, signer.toBytes());
  }

  /** SHA-256 of {@code bytes}, the ES256K message digest. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static boolean isBase64Url(byte b) {
    return (b >= 'A' && b <= 'Z')
        || (b >= 'a' && b <= 'z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '_';
  }

  /**
   * Whether {@code signature} over {@code message} in {@code domain} was made by {@code signer}.
   */
  public static boolean verify(
      DeviceAddress signer, SigningDomain domain, byte[] message, DeviceSignature signature) {
    return recover(domain, message, signature).map(signer::equals).orElse(false);
  }
}
