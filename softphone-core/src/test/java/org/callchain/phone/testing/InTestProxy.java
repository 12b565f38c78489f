package org.callchain.phone.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateless, record-routing UDP proxy for tests (RFC 3261 §16.11), written on plain text so it
 * checks the phones rather than sharing their stack: it pops its own Route (loose routing, §16.4),
 * adds Record-Route to initial INVITEs, pushes its Via on requests and pops it from responses
 * (§16.7, §16.11), and records every request it forwarded.
 */
public final class InTestProxy implements AutoCloseable {
  private static final Pattern HOST_PORT =
      Pattern.compile("sip:(?:[^@;>]+@)?([^:;>]+)(?::(\\d+))?");

  private final DatagramSocket socket;
  private final Thread loop;
  private final List<String> forwarded = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  public InTestProxy() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    loop = new Thread(this::serve, "in-test-proxy");
    loop.setDaemon(true);
    loop.start();
  }

  /** The proxy's URI, for {@code PhoneConfig.outboundProxy}. */
  public String uri() {
    return "sip:127.0.0.1:" + socket.getLocalPort();
  }

  /** {@code METHOD} of every request forwarded, in order (retransmissions included). */
  public List<String> forwardedRequests() {
    return List.copyOf(forwarded);
  }

  private String self() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    byte[] buffer = new byte[65535];
    while (running) {
      try {
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        socket.receive(p);
        String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
        if (text.startsWith("SIP/2.0 ")) {
          forwardResponse(text);
        } else {
          forwardRequest(text);
        }
      } catch (IOException | RuntimeException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void forwardRequest(String text) throws IOException {
    int split = text.indexOf("\r\n\r\n");
    String head = text.substring(0, split);
    String body = text.substring(split + 4);
    List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
    String requestLine = lines.get(0);
    String method = requestLine.substring(0, requestLine.indexOf(' '));
    // Loose routing: our own Route is the topmost one; remove it (RFC 3261 §16.4).
    for (int i = 1; i < lines.size(); i++) {
      if (lower(lines.get(i)).startsWith("route:") && lines.get(i).contains(self())) {
        lines.remove(i);
        break;
      }
    }
    String target = null;
    for (int i = 1; i < lines.size(); i++) {
      if (lower(lines.get(i)).startsWith("route:")) {
        target = lines.get(i);
        break;
      }
    }
    if (target == null) {
      target = requestLine.split(" ")[1];
    }
    boolean initialInvite =
        method.equals("INVITE")
            && lines.stream().noneMatch(l -> lower(l).startsWith("to:") && l.contains(";tag="));
    List<String> out = new ArrayList<>();
    out.add(requestLine);
    out.add(
        "Via: SIP/2.0/UDP "
            + self()
            + ";branch=z9hG4bK-proxy-"
            + Integer.toHexString(text.hashCode())
            + "-"
            + method);
    if (initialInvite) {
      out.add("Record-Route: <sip:" + self() + ";lr>");
    }
    out.addAll(lines.subList(1, lines.size()));
    forwarded.add(method);
    send(String.join("\r\n", out) + "\r\n\r\n" + body, hostPort(target));
  }

  private void forwardResponse(String text) throws IOException {
    int split = text.indexOf("\r\n\r\n");
    List<String> lines = new ArrayList<>(List.of(text.substring(0, split).split("\r\n")));
    int top = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (lower(lines.get(i)).startsWith("via:")) {
        top = i;
        break;
      }
    }
    if (top < 0 || !lines.get(top).contains(self())) {
      return;
    }
    // Pop our Via; peers may list several Via values on one line, comma-separated (§7.3.1).
    String topLine = lines.get(top);
    int comma = topLine.indexOf(',');
    String next;
    if (comma >= 0) {
      next = "Via: " + topLine.substring(comma + 1).strip();
      lines.set(top, next);
    } else {
      lines.remove(top);
      next = null;
      for (int i = 1; i < lines.size(); i++) {
        if (lower(lines.get(i)).startsWith("via:")) {
          next = lines.get(i);
          break;
        }
      }
    }
    if (next == null) {
      return;
    }
    Matcher v = Pattern.compile("SIP/2.0/UDP\\s+([^:;\\s]+)(?::(\\d+))?").matcher(next);
    if (!v.find()) {
      return;
    }
    Matcher rport = Pattern.compile(";rport=(\\d+)").matcher(next);
    int port =
        rport.find()
            ? Integer.parseInt(rport.group(1))
            : v.group(2) == null ? 5060 : Integer.parseInt(v.group(2));
    send(
        String.join("\r\n", lines) + "\r\n\r\n" + text.substring(split + 4),
        new InetSocketAddress(v.group(1), port));
  }

  private static InetSocketAddress hostPort(String uriText) {
    Matcher m = HOST_PORT.matcher(uriText);
    if (!m.find()) {
      throw new IllegalArgumentException("no SIP URI in " + uriText);
    }
    return new InetSocketAddress(
        m.group(1), m.group(2) == null ? 5060 : Integer.parseInt(m.group(2)));
  }

  private void send(String text, InetSocketAddress to) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    socket.send(new DatagramPacket(b, b.length, to));
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    running = false;
    socket.close();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
