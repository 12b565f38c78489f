package org.callchain.identity.passport;

import java.util.List;
import java.util.Objects;

/**
 * The claims of a Callchain PASSporT (RFC 8225 §5): who calls, whom, when, and the value that binds
 * the token to one SIP request.
 *
 * @param orig the originating identity, a URI (the {@code uri} form of RFC 8225 §5.2.1)
 * @param dest the destination identities, URIs (at least one)
 * @param iat when the token was made, seconds since the epoch (RFC 8225 §5.1.1)
 * @param origid an opaque value the signer binds to its request (RFC 8588 §4); how it is derived is
 *     the caller's business, the token only carries it
 */
public record PassportClaims(String orig, List<String> dest, long iat, String origid) {
  public PassportClaims {
    Objects.requireNonNull(orig, "orig");
    Objects.requireNonNull(origid, "origid");
    dest = List.copyOf(dest);
    if (orig.isEmpty()) {
      throw new IllegalArgumentException("orig must not be empty");
    }
    if (dest.isEmpty() || dest.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("dest needs at least one non-empty URI");
    }
    if (iat < 0) {
      throw new IllegalArgumentException("iat must not be negative");
    }
  }
}
