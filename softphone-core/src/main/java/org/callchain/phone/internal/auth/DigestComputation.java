package org.callchain.phone.internal.auth;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The request-digest of RFC 2617 §3.2.2 (and RFC 8760 for SHA-256), for both the client that
 * answers a challenge and the server that checks an Authorization header.
 *
 * <pre>
 * HA1 = H(user:realm:password)                 (for -sess: H(H(user:realm:password):nonce:cnonce))
 * HA2 = H(method:digest-uri)                   (qop=auth; auth-int is not offered)
 * response = H(HA1:nonce:nc:cnonce:qop:HA2)    with qop
 * response = H(HA1:nonce:HA2)                  without qop (RFC 2069 compatibility)
 * </pre>
 */
public final class DigestComputation {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DigestComputation() {}

  /**
   * Computes the {@code response=} value.
   *
   * @param qop {@code auth}, or null/empty for a challenge without qop
   * @param nc the nonce count as 8 hex digits (ignored without qop)
   * @param cnonce the client nonce (ignored without qop unless the algorithm is -sess)
   */
  public static String response(
      DigestAlgorithm algorithm,
      String username,
      String realm,
      String password,
      String nonce,
      String method,
      String digestUri,
      String qop,
      String nc,
      String cnonce) {
    String ha1 = algorithm.hashHex(username + ":" + realm + ":" + password);
    if (algorithm.isSession()) {
      ha1 = algorithm.hashHex(ha1 + ":" + nonce + ":" + cnonce);
    }
    String ha2 = algorithm.hashHex(method + ":" + digestUri);
    if (qop == null || qop.isEmpty()) {
      return algorithm.hashHex(ha1 + ":" + nonce + ":" + ha2);
    }
    return algorithm.hashHex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
  }

  /** A fresh random client or server nonce: 16 random bytes in hex. */
  public static String newNonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Formats a nonce count as the 8 hex digits RFC 2617 §3.2.2 asks for. */
  public static String nonceCount(int n) {
    return String.format("%08x", n);
  }

  /** Compares two digests in time independent of where they differ. */
  public static boolean sameDigest(String expected, String actual) {
    if (actual == null) {
      return false;
    }
    return java.security.MessageDigest.isEqual(
        expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
