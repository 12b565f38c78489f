package org.callchain.identity.passport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.SignatureVerifier;
import org.callchain.identity.passport.internal.PassportJson;

/**
 * Signs and verifies PASSporTs (RFC 8225) with ES256K (RFC 8812) and the device address as {@code
 * kid}: no certificate, because the on-chain device registry is the trust root (docs/identity.md).
 *
 * <p>A token is the JWS Compact Serialization (RFC 7515 §7.1) {@code BASE64URL(header) '.'
 * BASE64URL(claims) '.' BASE64URL(r || s)}. Header and claims are written canonically (RFC 8225
 * §9), so signing the same claims with the same key (RFC 6979 nonces) always gives the same token.
 * Verification hashes the received signing input, never a re-encoding of it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8225#section-4">RFC 8225 §§ 4–9</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8812#section-3.2">RFC 8812 §3.2</a>
 */
public final class Passports {
  /** Longest token accepted; a Callchain token with two long URIs is about 600 characters. */
  public static final int MAX_TOKEN_LENGTH = 4096;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

  private Passports() {}

  /** Signs {@code claims} with {@code key}; the {@code kid} is the key's device address. */
  public static Passport sign(DeviceKey key, PassportClaims claims) {
    String signingInput =
        B64.encodeToString(PassportJson.header(key.address()))
            + "."
            + B64.encodeToString(PassportJson.claims(claims));
    byte[] rs = key.signJwsEs256k(signingInput.getBytes(StandardCharsets.US_ASCII));
    return new Passport(key.address(), claims, signingInput + "." + B64.encodeToString(rs));
  }

  /**
   * Parses {@code token} and checks that its signature was made by its {@code kid}'s key. Whether
   * that device may call, and whether the claims fit the request, is the caller's to decide.
   *
   * @throws InvalidPassportException if the token is malformed or its signature does not verify
   */
  public static Passport verify(String token) throws InvalidPassportException {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw malformed("token longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    int first = token.indexOf('.');
    int last = token.lastIndexOf('.');
    if (first <= 0 || last == first || token.indexOf('.', first + 1) != last) {
      throw malformed("not a JWS compact serialization (header.claims.signature)");
    }
    if (last == token.length() - 1) {
      throw malformed("the signature part is empty");
    }
    String signingInput = token.substring(0, last);
    byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
    if (!SignatureVerifier.isJwsSigningInput(input)) {
      throw malformed("header and claims must be unpadded base64url");
    }
    DeviceAddress kid;
    PassportClaims claims;
    byte[] rs;
    try {
      kid = PassportJson.kidOf(decode(token.substring(0, first), "header"));
      claims = PassportJson.claimsOf(decode(token.substring(first + 1, last), "claims"));
      rs = decode(token.substring(last + 1), "signature");
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
    if (rs.length != 64) {
      throw malformed("an ES256K signature has 64 bytes, not " + rs.length);
    }
    if (!SignatureVerifier.verifyJwsEs256k(kid, input, rs)) {
      throw new InvalidPassportException("signature does not verify for kid " + kid, true);
    }
    return new Passport(kid, claims, token);
  }

  private static byte[] decode(String part, String what) {
    if (part.indexOf('=') >= 0) {
      throw new IllegalArgumentException(what + " must be unpadded base64url");
    }
    try {
      return B64_DECODE.decode(part);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64url", e);
    }
  }

  private static InvalidPassportException malformed(String reason) {
    return new InvalidPassportException(reason, false);
  }
}
