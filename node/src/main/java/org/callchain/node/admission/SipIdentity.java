package org.callchain.node.admission;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A SIP identity as admission compares it: the one place that decides whether the From of an
 * INVITE, a PASSporT's {@code orig} or {@code dest}, a phone's own address and the SIP identity a
 * device is registered with name the same party (docs/identity.md, "Comparing SIP identities").
 *
 * <p>Normalization of a {@code sip:}, {@code sips:} or {@code tel:} URI (a name-addr such as {@code
 * "Alice" <sip:alice@host>} is unwrapped first):
 *
 * <ul>
 *   <li>scheme: {@code sips} counts as {@code sip} (it asks for TLS on the way, not for another
 *       party); a {@code tel:} number is its own scheme;
 *   <li>user: compared exactly, after %-decoding (RFC 3261 §19.1.4: user parts are case-sensitive);
 *       a {@code tel:} number and a {@code ;user=phone} SIP user lose the visual separators {@code
 *       - . ( )} (RFC 3966 §5.1.1);
 *   <li>host: case-insensitive (RFC 3261 §19.1.4), a trailing dot removed;
 *   <li>password, URI parameters and headers are ignored: they do not name a party;
 *   <li>port: {@link #matches} is asymmetric. A reference identity (a registered one, or a phone's
 *       own) that names a port matches only that port; one without a port matches any port, since a
 *       port names a contact of the party, not the party. {@link #equals} compares the port too.
 * </ul>
 *
 * @param scheme {@code sip} or {@code tel}
 * @param user the user part or number (may be empty for a host-only SIP URI)
 * @param host the lowercase host ({@code ""} for {@code tel:})
 * @param port the port, or -1 when none is given
 */
public record SipIdentity(String scheme, String user, String host, int port) {
  public SipIdentity {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
  }

  /**
   * Parses a SIP, SIPS or tel URI or a name-addr holding one.
   *
   * @throws IllegalArgumentException with a one-line reason for anything else
   */
  public static SipIdentity parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int lt = s.indexOf('<');
    if (lt >= 0) {
      int gt = s.indexOf('>', lt);
      if (gt < 0) {
        throw new IllegalArgumentException("unclosed '<' in " + text);
      }
      s = s.substring(lt + 1, gt).strip();
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a SIP or tel URI: " + text);
    }
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = s.substring(colon + 1);
    return switch (scheme) {
      case "sip", "sips" -> sip(rest, text);
      case "tel" -> new SipIdentity("tel", number(cut(rest, ';')), "", -1);
      default -> throw new IllegalArgumentException("not a SIP or tel URI: " + text);
    };
  }

  /** Whether {@code text} parses; for validating configuration. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether this presented identity names the party of {@code reference} (a registered identity or
   * this phone's own): scheme, user and host equal, and the port equal if the reference has one.
   */
  public boolean matches(SipIdentity reference) {
    return scheme.equals(reference.scheme)
        && user.equals(reference.user)
        && host.equals(reference.host)
        && (reference.port < 0 || reference.port == port);
  }

  /** The normalized form, e.g. {@code sip:alice@example.com:5071}. */
  @Override
  public String toString() {
    if (scheme.equals("tel")) {
      return "tel:" + user;
    }
    return "sip:" + (user.isEmpty() ? "" : user + "@") + host + (port >= 0 ? ":" + port : "");
  }

  private static SipIdentity sip(String rest, String text) {
    String addr = cut(cut(rest, '?'), ';');
    boolean userPhone = rest.toLowerCase(Locale.ROOT).contains(";user=phone");
    int at = addr.lastIndexOf('@');
    String user = "";
    String hostPort = addr;
    if (at >= 0) {
      String userInfo = addr.substring(0, at);
      hostPort = addr.substring(at + 1);
      user = decode(cut(userInfo, ':'), text);
      if (userPhone) {
        user = number(user);
      }
    }
    String host;
    int port = -1;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed IPv6 reference in " + text);
      }
      host = hostPort.substring(0, close + 1);
      String after = hostPort.substring(close + 1);
      if (after.startsWith(":")) {
        port = port(after.substring(1), text);
      } else if (!after.isEmpty()) {
        throw new IllegalArgumentException("bad host in " + text);
      }
    } else {
      int c = hostPort.lastIndexOf(':');
      host = c >= 0 ? hostPort.substring(0, c) : hostPort;
      if (c >= 0) {
        port = port(hostPort.substring(c + 1), text);
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + text);
    }
    return new SipIdentity("sip", user, host, port);
  }

  private static String cut(String s, char c) {
    int i = s.indexOf(c);
    return i >= 0 ? s.substring(0, i) : s;
  }

  private static String number(String s) {
    return s.replaceAll("[-.()]", "");
  }

  private static String decode(String s, String text) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad %-escape in " + text, e);
    }
  }

  private static int port(String s, String text) {
    try {
      int p = Integer.parseInt(s);
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port out of range in " + text);
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in " + text, e);
    }
  }
}
