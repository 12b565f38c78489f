package org.callchain.phone.interop;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Tells whether an external program has bound its loopback port yet, without talking to it. */
public final class PortProbe {
  private PortProbe() {}

  /** True when something holds the UDP port (our bind attempt fails). */
  public static boolean udpInUse(int port) {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      return !probe.isBound();
    } catch (IOException bound) {
      return true;
    }
  }

  /** True when something accepts TCP connections on the port. */
  public static boolean tcpListening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Polls {@link #udpInUse} until true or the timeout. */
  public static boolean awaitUdpBound(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (udpInUse(port)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
