package org.callchain.phone.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny UDP registrar for tests, written without any SIP stack: it challenges every REGISTER
 * without credentials with 401 (MD5, qop=auth, RFC 2617), checks the digest with its own MD5 code,
 * and grants at most {@code maxExpires} seconds. It can be told to fail the next requests (as a
 * restarting registrar would) and counts what it saw.
 */
public final class InTestRegistrar implements AutoCloseable {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]*)");

  private final DatagramSocket socket;
  private final String user;
  private final String password;
  private final int maxExpires;
  private final Thread loop;
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger unregistered = new AtomicInteger();
  private final AtomicInteger badDigests = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile boolean running = true;

  public InTestRegistrar(String user, String password, int maxExpires) throws SocketException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.user = user;
    this.password = password;
    this.maxExpires = maxExpires;
    this.loop = new Thread(this::serve, "in-test-registrar");
    loop.setDaemon(true);
    loop.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public String uri() {
    return "sip:127.0.0.1:" + port();
  }

  /** Successful REGISTERs with a non-zero expiry. */
  public int registrations() {
    return registered.get();
  }

  /** Successful REGISTERs with Expires: 0. */
  public int unregistrations() {
    return unregistered.get();
  }

  public int badDigests() {
    return badDigests.get();
  }

  /** Answers the next {@code n} REGISTERs with 503, like a registrar that is restarting. */
  public void failNext(int n) {
    failNext.set(n);
  }

  private void serve() {
    byte[] buffer = new byte[65535];
    while (running) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        String text =
            new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        String response = answer(text);
        if (response != null) {
          byte[] out = response.getBytes(StandardCharsets.ISO_8859_1);
          socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        if (running) {
          continue;
        }
        return;
      }
    }
  }

  private String answer(String request) {
    String[] lines = request.split("\r\n");
    if (!lines[0].startsWith("REGISTER ")) {
      return null;
    }
    Map<String, String> h = new HashMap<>();
    for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        h.putIfAbsent(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return response(h, "503 Service Unavailable", "");
    }
    String auth = h.get("authorization");
    if (auth == null) {
      return response(
          h,
          "401 Unauthorized",
          "WWW-Authenticate: Digest realm=\"test\", nonce=\""
              + UUID.randomUUID()
              + "\", algorithm=MD5, qop=\"auth\"\r\n");
    }
    Map<String, String> p = new HashMap<>();
    Matcher m = PARAM.matcher(auth.substring(auth.indexOf(' ') + 1));
    while (m.find()) {
      p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
    }
    String ha1 = md5(user + ":test:" + password);
    String ha2 = md5("REGISTER:" + p.get("uri"));
    String expected =
        md5(
            ha1
                + ":"
                + p.get("nonce")
                + ":"
                + p.get("nc")
                + ":"
                + p.get("cnonce")
                + ":auth:"
                + ha2);
    if (!user.equals(p.get("username")) || !expected.equals(p.get("response"))) {
      badDigests.incrementAndGet();
      return response(h, "403 Forbidden", "");
    }
    int asked = Integer.parseInt(h.getOrDefault("expires", "3600").strip());
    int granted = Math.min(asked, maxExpires);
    if (granted == 0) {
      unregistered.incrementAndGet();
    } else {
      registered.incrementAndGet();
    }
    String contact = h.get("contact");
    return response(
        h,
        "200 OK",
        "Contact: " + contact + ";expires=" + granted + "\r\nExpires: " + granted + "\r\n");
  }

  private static String response(Map<String, String> h, String status, String extra) {
    String to = h.get("to");
    if (!to.contains(";tag=")) {
      to = to + ";tag=reg1";
    }
    return "SIP/2.0 "
        + status
        + "\r\n"
        + "Via: "
        + h.get("via")
        + "\r\n"
        + "From: "
        + h.get("from")
        + "\r\n"
        + "To: "
        + to
        + "\r\n"
        + "Call-ID: "
        + h.get("call-id")
        + "\r\n"
        + "CSeq: "
        + h.get("cseq")
        + "\r\n"
        + extra
        + "Content-Length: 0\r\n\r\n";
  }

  private static String md5(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
