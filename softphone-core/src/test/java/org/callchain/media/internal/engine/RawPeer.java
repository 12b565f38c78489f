package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.callchain.media.internal.rtp.RtpPacket;

/** A bare UDP socket on loopback that plays the far end of a call in tests. */
final class RawPeer implements AutoCloseable {
  final DatagramSocket socket;

  RawPeer() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    socket.setSoTimeout(50);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  void send(byte[] data, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(data, data.length, to));
  }

  static byte[] pcmu(int seq, long ts, long ssrc) {
    byte[] p = new byte[12 + 160];
    RtpPacket.writeHeader(p, false, 0, seq, ts, ssrc);
    java.util.Arrays.fill(p, 12, p.length, (byte) 0xFF);
    return p;
  }

  /** Every RTP packet that arrives within {@code millis}. */
  List<RtpPacket> receive(long millis) throws IOException {
    List<RtpPacket> out = new ArrayList<>();
    long end = System.nanoTime() + millis * 1_000_000L;
    byte[] buf = new byte[2048];
    while (System.nanoTime() < end) {
      DatagramPacket d = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(d);
      } catch (SocketTimeoutException e) {
        continue;
      }
      byte[] copy = java.util.Arrays.copyOf(d.getData(), d.getLength());
      RtpPacket.Parsed p = RtpPacket.parse(copy, copy.length);
      if (p.packet() != null) {
        out.add(p.packet());
      }
    }
    return out;
  }

  @Override
  public void close() {
    socket.close();
  }
}
