package org.callchain.phone.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Malformed and unusual SIP messages, after the torture tests of RFC 4475 and the parsing rules of
 * RFC 3261, each with the answers a robust user agent may give. The messages are built as text here
 * rather than copied from RFC 4475: they must reach our port, carry our transport in the Via, and
 * be fresh (new Call-ID and branch) each time.
 */
public final class SipTorture {
  private SipTorture() {}

  /** Where a torture message goes and where it comes from. */
  public record Target(int phonePort, int localPort, String transport, String user) {
    String requestUri() {
      return "sip:" + user + "@127.0.0.1:" + phonePort;
    }
  }

  /**
   * One malformed message and what may come back.
   *
   * @param name a short name for reports
   * @param rule the RFC section that decides the right answer
   * @param acceptable the final status codes that are a correct answer
   * @param dropAcceptable whether silently discarding the message is also correct
   */
  public record Case(
      String name,
      String rule,
      java.util.function.Function<Target, byte[]> message,
      Set<Integer> acceptable,
      boolean dropAcceptable) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A well-formed OPTIONS (RFC 3261 §11): the phone must answer 200. */
  public static byte[] options(Target t) {
    return bytes(headers(t, "OPTIONS", null) + "Content-Length: 0\r\n\r\n");
  }

  /** The messages sent over UDP, one datagram each. */
  public static List<Case> datagramCases() {
    List<Case> cases = new ArrayList<>(commonCases());
    cases.add(
        new Case(
            "content-length-longer-than-datagram",
            "RFC 4475 §3.1.2.2 (clerr), RFC 3261 §18.3: datagram shorter than Content-Length: 400",
            t -> withBody(t, "OPTIONS", "application/sdp", "v=0\r\n", 120),
            Set.of(400),
            true));
    cases.add(
        new Case(
            "content-length-shorter-than-datagram",
            "RFC 3261 §18.3: bytes past Content-Length in a datagram MUST be discarded",
            t -> withBody(t, "OPTIONS", "text/plain", "hello, this part is cut off", 5),
            Set.of(200, 415),
            false));
    cases.add(
        new Case(
            "huge-header-in-one-datagram",
            "RFC 3261 §21.5.14: 513 Message Too Large, or drop",
            t -> hugeHeader(t, 60_000),
            Set.of(513, 400),
            true));
    return cases;
  }

  /** The messages sent over a fresh TCP connection each. */
  public static List<Case> streamCases() {
    List<Case> cases = new ArrayList<>(commonCases());
    cases.add(
        new Case(
            "huge-header-on-a-stream",
            "RFC 3261 §21.5.14: 513 Message Too Large, or the connection is dropped",
            t -> hugeHeader(t, 200_000),
            Set.of(513, 400),
            true));
    return cases;
  }

  private static List<Case> commonCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "unknown-method",
            "RFC 3261 §8.2.1: 501 Not Implemented for an unknown method (405 if it is known)",
            t -> bytes(headers(t, "FROBNICATE", null) + "Content-Length: 0\r\n\r\n"),
            Set.of(501, 405),
            false));
    for (String header : List.of("Call-ID", "CSeq", "From", "To")) {
      cases.add(
          new Case(
              "missing-" + header.toLowerCase(java.util.Locale.ROOT),
              "RFC 4475 §3.3.1 (insuf): no "
                  + header
                  + ": 400, or a drop: RFC 3261 §8.2.6.2 copies it into every response",
              t ->
                  bytes(
                      removeHeader(headers(t, "OPTIONS", null), header)
                          + "Content-Length: 0\r\n\r\n"),
              Set.of(400),
              true));
    }
    cases.add(
        new Case(
            "missing-via",
            "RFC 3261 §8.1.1.7, §18.2.2: no Via means no way to answer: drop (or 400)",
            t ->
                bytes(
                    removeHeader(headers(t, "OPTIONS", null), "Via") + "Content-Length: 0\r\n\r\n"),
            Set.of(400),
            true));
    cases.add(
        new Case(
            "cseq-method-mismatch",
            "RFC 4475 §3.1.2.17 (mismatch01): CSeq method differs from the request line: 400",
            t ->
                bytes(
                    headers(t, "OPTIONS", null).replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")
                        + "Content-Length: 0\r\n\r\n"),
            Set.of(400),
            true));
    cases.add(
        new Case(
            "two-cseq-values",
            "RFC 4475 §3.3.8 (multi01): several values in a single-value header: 400",
            t -> bytes(headers(t, "OPTIONS", "CSeq: 2 OPTIONS\r\n") + "Content-Length: 0\r\n\r\n"),
            Set.of(400),
            true));
    cases.add(
        new Case(
            "unsupported-sip-version",
            "RFC 4475 §3.1.2.16 (badvers), RFC 3261 §21.5.10: 505 Version Not Supported",
            t ->
                bytes(
                    headers(t, "OPTIONS", null).replaceFirst(" SIP/2.0\r\n", " SIP/7.0\r\n")
                        + "Content-Length: 0\r\n\r\n"),
            Set.of(505, 400),
            true));
    cases.add(
        new Case(
            "negative-content-length",
            "RFC 4475 §3.1.2.3 (ncl): a negative Content-Length is a 400 or a drop",
            t -> bytes(headers(t, "OPTIONS", null) + "Content-Length: -999\r\n\r\n"),
            Set.of(400),
            true));
    cases.add(
        new Case(
            "unknown-request-uri-scheme",
            "RFC 4475 §3.3.2 (unkscm), RFC 3261 §8.2.2.1: 416 Unsupported URI Scheme",
            t ->
                bytes(
                    headers(t, "OPTIONS", null).replaceFirst("^OPTIONS sip:", "OPTIONS nobarr:")
                        + "Content-Length: 0\r\n\r\n"),
            Set.of(416, 400),
            true));
    cases.add(
        new Case(
            "truncated-in-a-header",
            "RFC 3261 §18.3, §7: an incomplete message is discarded (or 400)",
            t -> {
              String full = headers(t, "OPTIONS", null);
              return bytes(full.substring(0, full.indexOf("From:") + 12));
            },
            Set.of(400),
            true));
    cases.add(
        new Case(
            "garbage-bytes",
            "RFC 3261 §7: not a SIP message at all: discarded",
            t -> {
              byte[] junk = new byte[700];
              new Random(4475).nextBytes(junk);
              return junk;
            },
            Set.of(400),
            true));
    return cases;
  }

  /** The request line and the mandatory headers, ending just before Content-Length. */
  static String headers(Target t, String method, String extra) {
    String id = UUID.randomUUID().toString();
    return method
        + " "
        + t.requestUri()
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + t.transport()
        + " 127.0.0.1:"
        + t.localPort()
        + ";branch=z9hG4bK-torture-"
        + id
        + ";rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:torture@127.0.0.1:"
        + t.localPort()
        + ">;tag=t"
        + id.substring(0, 8)
        + "\r\n"
        + "To: <"
        + t.requestUri()
        + ">\r\n"
        + "Call-ID: "
        + id
        + "@torture.invalid\r\n"
        + "CSeq: 1 "
        + method
        + "\r\n"
        + "Contact: <sip:torture@127.0.0.1:"
        + t.localPort()
        + ">\r\n"
        + (extra == null ? "" : extra);
  }

  static byte[] withBody(
      Target t, String method, String contentType, String body, int declaredLength) {
    return bytes(
        headers(t, method, "Content-Type: " + contentType + "\r\n")
            + "Content-Length: "
            + declaredLength
            + "\r\n\r\n"
            + body);
  }

  private static byte[] hugeHeader(Target t, int size) {
    String filler = "x".repeat(size);
    return bytes(
        headers(t, "OPTIONS", "Subject: " + filler + "\r\n") + "Content-Length: 0\r\n\r\n");
  }

  private static String removeHeader(String message, String name) {
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\r\n", -1)) {
      if (!line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        out.append(line).append("\r\n");
      }
    }
    // split/append added one CRLF too many at the end (the text ended in CRLF).
    return out.substring(0, out.length() - 2);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
