package org.callchain.phone.internal.jainsip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP peer played message by message on a raw UDP socket on 127.0.0.1, for orderings a JAIN-SIP
 * peer never produces (a re-INVITE that overtakes its ACK, glare at a chosen moment). It sends
 * exactly what the test writes and never retransmits; what it receives it returns as text.
 */
final class ScriptedSipPeer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Duration timeout;

  ScriptedSipPeer(Duration timeout) throws Exception {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.socket.setSoTimeout(200);
    this.timeout = timeout;
  }

  int port() {
    return socket.getLocalPort();
  }

  String uri(String user) {
    return "sip:" + user + "@127.0.0.1:" + port();
  }

  /** A message as received, with the address it came from. */
  record Message(String text, InetSocketAddress from) {
    boolean isResponse() {
      return text.startsWith("SIP/2.0 ");
    }

    int status() {
      return Integer.parseInt(text.substring(8, 11));
    }

    String header(String name) {
      return ScriptedSipPeer.header(text, name);
    }

    String cseq() {
      return header("CSeq");
    }

    String tag(String headerName) {
      Matcher m = Pattern.compile(";tag=([^;>\\s]+)").matcher(header(headerName));
      return m.find() ? m.group(1) : null;
    }
  }

  /** Receives until a message that matches arrives, within the peer's timeout. */
  Message receive(Predicate<Message> match, String what) throws Exception {
    return receiveWithin(match, timeout).orElseThrow(() -> new AssertionError("no " + what));
  }

  /** The request of {@code method} that arrives next (retransmissions of others are skipped). */
  Message receiveRequest(String method) throws Exception {
    return receive(m -> m.text.startsWith(method + " "), method);
  }

  /** The first final (non-1xx) response whose CSeq is {@code cseq}, e.g. "2 INVITE". */
  Message receiveFinal(String cseq) throws Exception {
    return receive(
        m -> m.isResponse() && m.status() >= 200 && m.cseq().equals(cseq),
        "final response to " + cseq);
  }

  /** Waits up to {@code wait} for a matching message; empty if none came. */
  Optional<Message> receiveWithin(Predicate<Message> match, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] buf = new byte[65535];
    while (System.nanoTime() < deadline) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        continue;
      }
      Message m =
          new Message(
              new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1),
              (InetSocketAddress) p.getSocketAddress());
      if (match.test(m)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  void sendTo(int port, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
  }

  /** A response to {@code request} as RFC 3261 §8.2.6 builds it, with an optional SDP body. */
  String reply(Message request, String status, String toTag, String sdp) {
    String to = request.header("To");
    if (toTag != null && !to.contains(";tag=")) {
      to = to + ";tag=" + toTag;
    }
    StringBuilder b = new StringBuilder("SIP/2.0 " + status + "\r\n");
    Matcher vias = Pattern.compile("(?im)^Via:\\s*(.*)$").matcher(request.text());
    while (vias.find()) {
      b.append("Via: ").append(vias.group(1).strip()).append("\r\n");
    }
    b.append("From: ").append(request.header("From")).append("\r\n");
    b.append("To: ").append(to).append("\r\n");
    b.append("Call-ID: ").append(request.header("Call-ID")).append("\r\n");
    b.append("CSeq: ").append(request.cseq()).append("\r\n");
    b.append("Contact: <").append(uri("raw")).append(">\r\n");
    return withBody(b, sdp);
  }

  void send(Message to, String text) throws Exception {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    socket.send(new DatagramPacket(b, b.length, to.from()));
  }

  /**
   * A request from this peer to {@code requestUri}: {@code from} and {@code to} are full header
   * values (with tags), {@code branch} the Via branch (RFC 3261 §8.1.1.7), {@code sdp} optional.
   */
  String request(
      String method,
      String requestUri,
      String from,
      String to,
      String callId,
      String cseq,
      String branch,
      String sdp) {
    StringBuilder b = new StringBuilder(method + " " + requestUri + " SIP/2.0\r\n");
    b.append("Via: SIP/2.0/UDP 127.0.0.1:")
        .append(port())
        .append(";branch=z9hG4bK-")
        .append(branch)
        .append("\r\n");
    b.append("Max-Forwards: 70\r\n");
    b.append("From: ").append(from).append("\r\n");
    b.append("To: ").append(to).append("\r\n");
    b.append("Call-ID: ").append(callId).append("\r\n");
    b.append("CSeq: ").append(cseq).append("\r\n");
    b.append("Contact: <").append(uri("raw")).append(">\r\n");
    return withBody(b, sdp);
  }

  private static String withBody(StringBuilder b, String sdp) {
    if (sdp != null) {
      b.append("Content-Type: application/sdp\r\nContent-Length: ")
          .append(sdp.length())
          .append("\r\n\r\n")
          .append(sdp);
    } else {
      b.append("Content-Length: 0\r\n\r\n");
    }
    return b.toString();
  }

  static String header(String message, String name) {
    Matcher m = Pattern.compile("(?im)^" + name + ":\\s*(.*)$").matcher(message);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in\n" + message);
    }
    return m.group(1).strip();
  }

  /** An audio offer or answer from 127.0.0.1:{@code rtpPort}, PCMU, in {@code direction}. */
  static String sdp(int version, int rtpPort, String direction) {
    return "v=0\r\no=- 7 "
        + version
        + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio "
        + rtpPort
        + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
        + "a=rtpmap:101 telephone-event/8000\r\na="
        + direction
        + "\r\n";
  }

  @Override
  public void close() {
    socket.close();
  }
}
