package org.callchain.phone;

import java.util.Locale;

/** A SIP transport this phone listens on and sends with (RFC 3261 §18). */
public enum Transport {
  UDP,
  TCP;

  /** The lowercase token used in {@code ;transport=} URI parameters and JAIN-SIP. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code udp} or {@code tcp} (any case); throws for anything else. */
  public static Transport parse(String token) {
    for (Transport t : values()) {
      if (t.name().equalsIgnoreCase(token)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown SIP transport: " + token);
  }
}
