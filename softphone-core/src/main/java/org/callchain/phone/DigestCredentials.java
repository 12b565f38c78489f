package org.callchain.phone;

import java.util.Objects;

/**
 * A user name and password for HTTP digest authentication of SIP requests (RFC 3261 §22, RFC 2617,
 * RFC 8760). The password never appears in {@link #toString()}.
 *
 * @param username the digest user name
 * @param password the shared secret
 */
public record DigestCredentials(String username, String password) {
  public DigestCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank()) {
      throw new IllegalArgumentException("digest user name is empty");
    }
  }

  @Override
  public String toString() {
    return "DigestCredentials[username=" + username + ", password=***]";
  }
}
