package org.callchain.phone;

import java.util.Objects;

/**
 * An account at a SIP registrar (RFC 3261 §10). The address of record is {@code
 * sip:<user>@<registrar host>} unless {@link #addressOfRecord} says otherwise.
 *
 * @param registrarUri where REGISTER goes, e.g. {@code sip:pbx.example.com:5060}
 * @param addressOfRecord the To/From of REGISTER, e.g. {@code sip:alice@example.com}
 * @param credentials the digest user name and password
 * @param expirySeconds the registration lifetime asked for (the registrar may shorten it)
 */
public record RegistrationAccount(
    String registrarUri, String addressOfRecord, DigestCredentials credentials, int expirySeconds) {

  public static final int DEFAULT_EXPIRY_SECONDS = 600;

  public RegistrationAccount {
    Objects.requireNonNull(registrarUri, "registrarUri");
    Objects.requireNonNull(addressOfRecord, "addressOfRecord");
    Objects.requireNonNull(credentials, "credentials");
    if (expirySeconds < 1) {
      throw new IllegalArgumentException("registration expiry must be positive: " + expirySeconds);
    }
  }
}
