package org.callchain.identity.passport;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;

/**
 * A signed PASSporT: the device whose key signed it ({@code kid}), its claims, and the token as it
 * travels (JWS Compact Serialization {@code header.claims.signature}, RFC 7515 §7.1).
 *
 * @param kid the signing device (the JOSE header's {@code kid}, RFC 7515 §4.1.4)
 * @param claims the claims
 * @param token the compact serialization; its signature is over its own first two parts, so it is
 *     verified as received and never re-encoded
 */
public record Passport(DeviceAddress kid, PassportClaims claims, String token) {
  public Passport {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(token, "token");
  }

  /** The signature part of the token, which is unique per token (used as its replay key). */
  public String signaturePart() {
    return token.substring(token.lastIndexOf('.') + 1);
  }
}
