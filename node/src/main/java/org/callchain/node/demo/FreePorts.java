package org.callchain.node.demo;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Loopback ports that are free right now for both TCP and UDP (a SIP port serves both), never the
 * same one twice from one instance. A port is only known to be free when it is asked for: the
 * process that gets it binds it moments later, which is the usual, small race of test harnesses.
 */
final class FreePorts {
  private final Set<Integer> given = new HashSet<>();

  synchronized int next() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int port = tcp.getLocalPort();
        if (given.contains(port)) {
          continue;
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
          if (udp.getLocalPort() == port) {
            given.add(port);
            return port;
          }
        } catch (IOException e) {
          // taken for UDP: try another
        }
      }
    }
    throw new IOException("no free loopback port for both TCP and UDP after 50 attempts");
  }
}
