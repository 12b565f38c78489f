package org.callchain.node.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callchain.phone.DigestCredentials;
import org.callchain.phone.RegistrationAccount;

/**
 * Turns {@code --register sip:user@host[:port][;transport=tcp]} into an account: the registrar is
 * the host part (RFC 3261 §10.2: the Request-URI of REGISTER names the domain), the digest user
 * name is the user part.
 */
final class RegistrationAccounts {
  private static final Pattern AOR =
      Pattern.compile("sip:([^@;:]+)@([^;:]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?(;.*)?");

  private RegistrationAccounts() {}

  static RegistrationAccount fromAddressOfRecord(String aor, String password, int expires) {
    Matcher m = AOR.matcher(aor.strip());
    if (!m.matches()) {
      throw new CliException("--register needs sip:user@host[:port], not '" + aor + "'", 2);
    }
    if (expires < 1) {
      throw new CliException("--expires must be positive, not " + expires, 2);
    }
    String registrar =
        "sip:"
            + m.group(2)
            + (m.group(3) != null ? ":" + m.group(3) : "")
            + (m.group(4) != null ? m.group(4) : "");
    String addressOfRecord =
        "sip:" + m.group(1) + "@" + m.group(2) + (m.group(3) != null ? ":" + m.group(3) : "");
    return new RegistrationAccount(
        registrar, addressOfRecord, new DigestCredentials(m.group(1), password), expires);
  }
}
