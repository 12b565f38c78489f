package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The RI's message parser plus the checks it leaves out, applied to requests before they reach the
 * transaction layer. The RI parser reads any {@code SIP/x.y} as SIP/2.0 and keeps the first of two
 * CSeq (or Call-ID, From, To) headers, so a request that RFC 4475 says must be refused would
 * otherwise be answered 200. A violation is reported through the stack's own parse-exception path,
 * which answers {@code 400 Bad Request} statelessly when the request still has what a response
 * needs (RFC 3261 §8.2.6.2) and drops it otherwise.
 *
 * <ul>
 *   <li>RFC 3261 §7.1, RFC 4475 §3.1.2.16 (badvers): only {@code SIP/2.0} is understood.
 *   <li>RFC 3261 §7.3.1, RFC 4475 §3.3.8 (multi01): Call-ID, CSeq, From, To, Max-Forwards and
 *       Content-Length appear at most once.
 * </ul>
 */
public final class StrictMessageParser implements MessageParser {
  private static final Map<String, String> SINGLETONS = new HashMap<>();
  private static final Map<String, Class<? extends SIPHeader>> HEADER_CLASS = new HashMap<>();

  static {
    // Long and compact forms (RFC 3261 §7.3.3) of the headers that must not repeat.
    for (String[] names :
        new String[][] {
          {"call-id", "i"},
          {"cseq", null},
          {"from", "f"},
          {"to", "t"},
          {"max-forwards", null},
          {"content-length", "l"}
        }) {
      SINGLETONS.put(names[0], names[0]);
      if (names[1] != null) {
        SINGLETONS.put(names[1], names[0]);
      }
    }
    HEADER_CLASS.put("call-id", CallID.class);
    HEADER_CLASS.put("cseq", CSeq.class);
    HEADER_CLASS.put("from", From.class);
    HEADER_CLASS.put("to", To.class);
  }

  private final StringMsgParser delegate = new StringMsgParser();

  @Override
  public SIPMessage parseSIPMessage(
      byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener)
      throws ParseException {
    SIPMessage message = delegate.parseSIPMessage(bytes, readBody, strict, listener);
    if (message instanceof SIPRequest) {
      String violation = check(new String(bytes, StandardCharsets.ISO_8859_1));
      if (violation != null) {
        ParseException ex = new ParseException(violation, 0);
        if (listener != null) {
          String raw = new String(bytes, StandardCharsets.ISO_8859_1);
          // The listener (the message channel) answers 400 when it can, then rethrows.
          listener.handleException(ex, message, classOf(violation), violation, raw);
        }
        throw ex;
      }
    }
    return message;
  }

  /**
   * The first rule the request's start line and header section break, or null. One pass over the
   * header section, without regular expressions: it runs for every request (bench/sip-cps profile).
   */
  static String check(String raw) {
    int pos = 0;
    int n = raw.length();
    while (pos < n && Character.isWhitespace(raw.charAt(pos))) {
      pos++;
    }
    int lineEnd = lineEnd(raw, pos);
    String requestLine = raw.substring(pos, lineEnd).trim();
    String version = requestLine.substring(requestLine.lastIndexOf(' ') + 1);
    if (!version.equalsIgnoreCase("SIP/2.0")) {
      return "SIP version not supported: " + version;
    }
    Map<String, Integer> seen = new HashMap<>();
    pos = next(raw, lineEnd);
    // The TCP pipeline hands over the header section with bare LF line ends.
    while (pos < n) {
      lineEnd = lineEnd(raw, pos);
      if (lineEnd == pos) {
        break; // the empty line that ends the header section
      }
      char first = raw.charAt(pos);
      int colon = raw.indexOf(':', pos);
      // A folded continuation line (RFC 3261 §7.3.1) or a line without a name is skipped.
      if (first != ' ' && first != '\t' && colon > pos && colon < lineEnd) {
        String name = raw.substring(pos, colon).trim().toLowerCase(Locale.ROOT);
        String canonical = SINGLETONS.get(name);
        if (canonical != null && seen.merge(canonical, 1, Integer::sum) > 1) {
          return "more than one " + canonical + " header";
        }
      }
      pos = next(raw, lineEnd);
    }
    return null;
  }

  /** Index of the line's end: its CR of CRLF, its bare LF, or the end of the text. */
  private static int lineEnd(String raw, int from) {
    int lf = raw.indexOf('\n', from);
    if (lf < 0) {
      return raw.length();
    }
    return lf > from && raw.charAt(lf - 1) == '\r' ? lf - 1 : lf;
  }

  /** Start of the line after the one ending at {@code lineEnd}. */
  private static int next(String raw, int lineEnd) {
    if (lineEnd < raw.length() && raw.charAt(lineEnd) == '\r') {
      lineEnd++;
    }
    return lineEnd + 1;
  }

  private static Class<?> classOf(String violation) {
    if (violation.startsWith("SIP version")) {
      return RequestLine.class;
    }
    for (Map.Entry<String, Class<? extends SIPHeader>> e : HEADER_CLASS.entrySet()) {
      if (violation.endsWith(" " + e.getKey() + " header")) {
        return e.getValue();
      }
    }
    // Max-Forwards or Content-Length: report it as a Content-Length problem, which the stack
    // also treats as fatal for the message.
    return gov.nist.javax.sip.header.ContentLength.class;
  }
}
