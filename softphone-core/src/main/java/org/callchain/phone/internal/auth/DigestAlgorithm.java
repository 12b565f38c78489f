package org.callchain.phone.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The hash algorithms of HTTP digest authentication that SIP uses: MD5 (RFC 2617) and SHA-256 (RFC
 * 8760, RFC 7616), each also in its {@code -sess} variant.
 */
public enum DigestAlgorithm {
  MD5("MD5", "MD5", false),
  MD5_SESS("MD5-sess", "MD5", true),
  SHA_256("SHA-256", "SHA-256", false),
  SHA_256_SESS("SHA-256-sess", "SHA-256", true);

  private final String token;
  private final String jcaName;
  private final boolean session;

  DigestAlgorithm(String token, String jcaName, boolean session) {
    this.token = token;
    this.jcaName = jcaName;
    this.session = session;
  }

  /** The {@code algorithm=} token. */
  public String token() {
    return token;
  }

  public boolean isSession() {
    return session;
  }

  /**
   * Parses an {@code algorithm=} value; absent means MD5 (RFC 2617 §3.2.1). Returns null for an
   * algorithm this phone does not implement, so the caller can try another challenge.
   */
  public static DigestAlgorithm fromToken(String token) {
    if (token == null || token.isEmpty()) {
      return MD5;
    }
    for (DigestAlgorithm a : values()) {
      if (a.token.equalsIgnoreCase(token.strip())) {
        return a;
      }
    }
    return null;
  }

  /** The lowercase hex hash of {@code text} in UTF-8. */
  public String hashHex(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance(jcaName);
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has " + jcaName, e);
    }
  }

  @Override
  public String toString() {
    return token.toUpperCase(Locale.ROOT);
  }
}
