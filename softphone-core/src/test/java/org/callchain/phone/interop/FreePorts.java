package org.callchain.phone.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks loopback ports that are free for both UDP and TCP at the moment of the call. Seven
 * engineers run tests on one machine, so nothing here ever uses a fixed port; the small race
 * between picking and binding is accepted (a test that loses it fails loudly at bind time).
 */
public final class FreePorts {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** A port free on 127.0.0.1 for UDP and TCP, never the same one twice in this JVM. */
  public static synchronized int udpAndTcp() {
    for (int attempt = 0; attempt < 200; attempt++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.setReuseAddress(false);
        tcp.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = tcp.getLocalPort();
        if (HANDED_OUT.contains(port)) {
          continue;
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
          HANDED_OUT.add(udp.getLocalPort());
          return port;
        } catch (IOException udpTaken) {
          // Free for TCP but not UDP: try another one.
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind a loopback socket", e);
      }
    }
    throw new IllegalStateException("no loopback port free for both UDP and TCP after 200 tries");
  }

  /**
   * A port free for UDP and TCP whose successor is free for TCP too: baresip listens for SIP over
   * TLS on the SIP port + 1. bind(0) hands out odd ports, and Linux gives outgoing TCP connections
   * even ones, so on a machine busy with connections the successor is often taken.
   */
  public static synchronized int udpAndTcpWithTcpSuccessor() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = udpAndTcp();
      if (port >= 65535) {
        continue;
      }
      try (ServerSocket next = new ServerSocket()) {
        next.setReuseAddress(false);
        next.bind(new InetSocketAddress(LOOPBACK, port + 1));
        return port;
      } catch (IOException successorTaken) {
        // try another pair
      }
    }
    throw new IllegalStateException("no loopback port with a free successor after 200 tries");
  }

  /**
   * An even port whose successor is free too, for an RTP/RTCP pair (RFC 3550 §11), UDP only. Linux
   * hands out odd ports for {@code bind(0)}, so the pair starts just above the one given.
   */
  public static synchronized int rtpPair() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base;
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        int p = probe.getLocalPort();
        base = p % 2 == 0 ? p : p + 1;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind a loopback UDP socket", e);
      }
      if (base >= 65534 || HANDED_OUT.contains(base) || HANDED_OUT.contains(base + 1)) {
        continue;
      }
      try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, base));
          DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, base + 1))) {
        HANDED_OUT.add(rtp.getLocalPort());
        HANDED_OUT.add(rtcp.getLocalPort());
        return base;
      } catch (IOException taken) {
        // One of the pair is taken: try another.
      }
    }
    throw new IllegalStateException("no free RTP/RTCP port pair on loopback after 200 tries");
  }
}
