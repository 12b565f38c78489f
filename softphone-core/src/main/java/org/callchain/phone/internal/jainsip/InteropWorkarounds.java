package org.callchain.phone.internal.jainsip;

import java.text.ParseException;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;

/**
 * Every place where this phone deviates from the plain reading of the RFCs (or from JAIN-SIP's
 * defaults) to work with real peers, each with the peer and the rule it concerns. docs/sip.md lists
 * them too. Keep new workarounds here, not scattered through the handlers.
 */
final class InteropWorkarounds {
  private InteropWorkarounds() {}

  /**
   * An empty {@code Supported:} header (RFC 3261 §20.37 allows an empty list). This phone
   * implements no option tags (no 100rel, timer, replaces), and saying so explicitly keeps proxies
   * such as Kamailio from assuming defaults. JAIN-SIP's SupportedHeader refuses an empty option
   * tag, so it is built as an extension header.
   */
  static Header emptySupported(HeaderFactory headers) throws ParseException {
    return headers.createHeader("Supported", "");
  }

  /**
   * Some UAs (older Asterisk, some SIPp scenarios) send {@code Content-Type: application/SDP} or
   * omit it on an INVITE that carries SDP. The body is read as SDP when the type is absent or
   * equals {@code application/sdp} in any case.
   */
  static boolean looksLikeSdp(javax.sip.message.Message message) {
    javax.sip.header.ContentTypeHeader type =
        (javax.sip.header.ContentTypeHeader) message.getHeader("Content-Type");
    if (type == null) {
      return message.getRawContent() != null && message.getRawContent().length > 0;
    }
    return "application".equalsIgnoreCase(type.getContentType())
        && "sdp".equalsIgnoreCase(type.getContentSubType());
  }

  /**
   * A NOTIFY's sipfrag body (RFC 3420) from some PBXes carries trailing headers or lacks the {@code
   * SIP/2.0} prefix case; only the status line's code and reason are used.
   *
   * @return {code, reason} or null if the first line is not a status line
   */
  static String[] sipfragStatus(String body) {
    if (body == null) {
      return null;
    }
    String first = body.strip().split("\r?\n", 2)[0].strip();
    String[] f = first.split(" ", 3);
    if (f.length < 2 || !f[0].regionMatches(true, 0, "SIP/", 0, 4)) {
      return null;
    }
    try {
      Integer.parseInt(f[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    return new String[] {f[1], f.length > 2 ? f[2] : ""};
  }
}
