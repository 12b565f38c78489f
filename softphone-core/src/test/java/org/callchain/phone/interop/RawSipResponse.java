package org.callchain.phone.interop;

import java.util.Locale;
import java.util.Optional;

/**
 * A SIP response read off a raw socket, kept as text: the torture tests only look at the status
 * code and a few headers, and must not depend on the SIP stack under test to parse it.
 *
 * @param status the status code of the status line
 * @param reason the reason phrase
 * @param text the whole response as received
 */
public record RawSipResponse(int status, String reason, String text) {

  /** Parses a status line {@code SIP/2.0 NNN reason}; empty if the text is not a response. */
  public static Optional<RawSipResponse> parse(String text) {
    int eol = text.indexOf("\r\n");
    String statusLine = eol < 0 ? text : text.substring(0, eol);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("SIP/") || !parts[1].matches("\\d{3}")) {
      return Optional.empty();
    }
    return Optional.of(
        new RawSipResponse(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", text));
  }

  /** The value of the first header with this name (case-insensitive, long form only). */
  public Optional<String> header(String name) {
    String prefix = name.toLowerCase(Locale.ROOT) + ":";
    for (String line : text.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        return Optional.of(line.substring(prefix.length()).trim());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return status + " " + reason;
  }
}
