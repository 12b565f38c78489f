package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.callchain.media.MediaException;

/**
 * Binds RTP/RTCP socket pairs in a port range: RTP on an even port, RTCP on the next (RFC 3550
 * §11). The search starts after the pair handed out last, so a port just freed is not reused at
 * once (late packets of the old call would land in the new one).
 */
final class PortAllocator {
  /** A bound pair of non-blocking channels. */
  record PortPair(DatagramChannel rtp, DatagramChannel rtcp, int rtpPort) {}

  private static final int RECEIVE_BUFFER = 1 << 18;
  private final InetAddress address;
  private final int firstEven;
  private final int pairs;
  private final AtomicInteger next = new AtomicInteger();

  PortAllocator(InetAddress address, int portMin, int portMax) {
    this.address = address;
    this.firstEven = portMin + (portMin & 1);
    this.pairs = Math.max(0, (portMax - firstEven + 1) / 2);
    if (pairs == 0) {
      throw new IllegalArgumentException("no even/odd port pair in " + portMin + "-" + portMax);
    }
  }

  PortPair allocate() throws MediaException {
    int start = Math.floorMod(next.getAndIncrement(), pairs);
    for (int i = 0; i < pairs; i++) {
      int port = firstEven + 2 * ((start + i) % pairs);
      DatagramChannel rtp = null;
      try {
        rtp = bind(port);
        DatagramChannel rtcp = bind(port + 1);
        next.set(start + i + 1);
        return new PortPair(rtp, rtcp, port);
      } catch (IOException inUse) {
        closeQuietly(rtp);
      }
    }
    throw new MediaException(
        "no free RTP/RTCP port pair on "
            + address.getHostAddress()
            + " in "
            + firstEven
            + "-"
            + (firstEven + 2 * pairs - 1));
  }

  private DatagramChannel bind(int port) throws IOException {
    // An IPv4 address gets an IPv4 socket: a dual-stack one would take every datagram through the
    // IPv6 layer as an IPv4-mapped address, both ways, in the kernel and in the JDK.
    DatagramChannel ch =
        address instanceof Inet4Address
            ? DatagramChannel.open(StandardProtocolFamily.INET)
            : DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
      ch.bind(new InetSocketAddress(address, port));
      ch.configureBlocking(false);
      return ch;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  static void closeQuietly(DatagramChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a datagram socket that failed to bind
      }
    }
  }
}
