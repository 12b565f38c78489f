package org.callchain.node.admission.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The value of an RFC 8224 Identity header field (§4.1): the signed identity digest (here a full
 * PASSporT, header.claims.signature, §4 and RFC 8225 §7 "full form"), then {@code ;info=<URI>} and
 * optional parameters such as {@code alg} and {@code ppt}.
 *
 * <pre>
 * Identity = "Identity" HCOLON signed-identity-digest SEMI ident-info *( SEMI ident-info-params )
 * ident-info = "info" EQUAL ident-info-uri ; ident-info-uri = LAQUOT absoluteURI RAQUOT
 * </pre>
 *
 * @param token the PASSporT
 * @param info the URI inside {@code info=<...>}
 * @param params the other parameters by lowercase name (a flag parameter maps to "")
 */
public record IdentityHeader(String token, String info, Map<String, String> params) {
  public IdentityHeader {
    params = Map.copyOf(params);
  }

  /** The {@code alg} parameter, if given. */
  public Optional<String> alg() {
    return Optional.ofNullable(params.get("alg"));
  }

  /** The {@code ppt} parameter, if given. */
  public Optional<String> ppt() {
    return Optional.ofNullable(params.get("ppt"));
  }

  /** {@code token;info=<info>} then {@code ;name=value} for each parameter, in the given order. */
  public static String format(String token, String info, Map<String, String> params) {
    StringBuilder b = new StringBuilder(token).append(";info=<").append(info).append('>');
    params.forEach((k, v) -> b.append(';').append(k).append(v.isEmpty() ? "" : "=" + v));
    return b.toString();
  }

  /**
   * Parses a header value.
   *
   * @throws IllegalArgumentException with a one-line reason when it is not an RFC 8224 value
   */
  public static IdentityHeader parse(String value) {
    String v = value.strip();
    int semi = v.indexOf(';');
    String token = (semi < 0 ? v : v.substring(0, semi)).strip();
    if (token.isEmpty() || !token.chars().allMatch(IdentityHeader::isDigestChar)) {
      throw new IllegalArgumentException("the signed identity digest is not base64url text");
    }
    String info = null;
    Map<String, String> params = new LinkedHashMap<>();
    int i = semi < 0 ? v.length() : semi;
    while (i < v.length()) {
      i = skipSpace(v, i + 1); // past ';'
      int eq = i;
      while (eq < v.length() && v.charAt(eq) != '=' && v.charAt(eq) != ';') {
        eq++;
      }
      String name = v.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty Identity parameter");
      }
      String paramValue = "";
      int next = eq;
      if (eq < v.length() && v.charAt(eq) == '=') {
        int start = skipSpace(v, eq + 1);
        if (start < v.length() && v.charAt(start) == '<') {
          int close = v.indexOf('>', start);
          if (close < 0) {
            throw new IllegalArgumentException("unclosed '<' in Identity parameter " + name);
          }
          paramValue = v.substring(start + 1, close);
          next = skipSpace(v, close + 1);
          if (next < v.length() && v.charAt(next) != ';') {
            throw new IllegalArgumentException("text after '>' in Identity parameter " + name);
          }
        } else {
          int end = v.indexOf(';', start);
          next = end < 0 ? v.length() : end;
          paramValue = v.substring(start, next).strip();
        }
      }
      if (params.containsKey(name) || (name.equals("info") && info != null)) {
        throw new IllegalArgumentException("repeated Identity parameter " + name);
      }
      if (name.equals("info")) {
        info = paramValue;
      } else {
        params.put(name, paramValue);
      }
      i = next;
    }
    if (info == null || info.isEmpty()) {
      throw new IllegalArgumentException("the Identity header has no info=<URI> (RFC 8224 §4.1)");
    }
    return new IdentityHeader(token, info, params);
  }

  private static boolean isDigestChar(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.';
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
