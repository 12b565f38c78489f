package org.callchain.phone.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends bytes that may not be SIP at all to a SIP endpoint over UDP or TCP, and reads back what
 * comes, without any SIP stack in between. Responses over TCP are framed by their Content-Length
 * (RFC 3261 §18.3); over UDP one datagram is one message.
 */
public final class RawSipClient {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private RawSipClient() {}

  /**
   * Sends one datagram from a fresh socket bound to {@code localPort} and returns the first SIP
   * response that comes back within {@code wait}, or empty (the message was dropped).
   */
  public static Optional<RawSipResponse> udp(
      int targetPort, int localPort, byte[] datagram, Duration wait) {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, localPort))) {
      socket.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, targetPort));
      long deadline = System.nanoTime() + wait.toNanos();
      byte[] buffer = new byte[65535];
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return Optional.empty();
        }
        socket.setSoTimeout((int) Math.max(1, left));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException timeout) {
          return Optional.empty();
        }
        String text =
            new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        Optional<RawSipResponse> response = RawSipResponse.parse(text);
        if (response.isPresent() && response.get().status() >= 200) {
          return response;
        }
        // A provisional response or a stray request: keep waiting for the final one.
      }
    } catch (IOException e) {
      throw new UncheckedIOException("raw UDP exchange with port " + targetPort + " failed", e);
    }
  }

  /** Opens a TCP connection to the endpoint; the caller sends and reads on it. */
  public static Tcp tcp(int targetPort) {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(LOOPBACK, targetPort), 2000);
      return new Tcp(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Never connected.
      }
      throw new UncheckedIOException("cannot connect to TCP port " + targetPort, e);
    }
  }

  /** One TCP connection carrying raw bytes both ways. */
  public static final class Tcp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean closedByPeer;

    private Tcp(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    public int localPort() {
      return socket.getLocalPort();
    }

    public void send(byte[] bytes) {
      try {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to the TCP connection", e);
      }
    }

    /** Half-closes: the peer reads end-of-stream after what was sent. */
    public void shutdownOutput() {
      try {
        socket.shutdownOutput();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** True once the peer closed or reset the connection. */
    public boolean closedByPeer() {
      return closedByPeer;
    }

    /**
     * The next final response within {@code wait} (provisional ones and CRLF keep-alives are
     * skipped), or empty if none came or the peer closed the connection.
     */
    public Optional<RawSipResponse> awaitResponse(Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      try {
        while (true) {
          Optional<String> message = nextMessage();
          if (message.isPresent()) {
            Optional<RawSipResponse> response = RawSipResponse.parse(message.get());
            if (response.isPresent() && response.get().status() >= 200) {
              return response;
            }
            continue;
          }
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0 || closedByPeer) {
            return Optional.empty();
          }
          socket.setSoTimeout((int) Math.max(1, left));
          byte[] chunk = new byte[8192];
          int n;
          try {
            n = in.read(chunk);
          } catch (SocketTimeoutException timeout) {
            return Optional.empty();
          } catch (IOException reset) {
            closedByPeer = true;
            return Optional.empty();
          }
          if (n < 0) {
            closedByPeer = true;
          } else {
            pending.write(chunk, 0, n);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Cuts one complete message (headers plus Content-Length bytes) off the pending bytes. */
    private Optional<String> nextMessage() {
      String buffered = pending.toString(StandardCharsets.ISO_8859_1);
      int start = 0;
      while (buffered.startsWith("\r\n", start)) {
        start += 2;
      }
      int end = buffered.indexOf("\r\n\r\n", start);
      if (end < 0) {
        return Optional.empty();
      }
      int length = contentLength(buffered.substring(start, end));
      int total = end + 4 + length;
      if (buffered.length() < total) {
        return Optional.empty();
      }
      String message = buffered.substring(start, total);
      byte[] rest = buffered.substring(total).getBytes(StandardCharsets.ISO_8859_1);
      pending.reset();
      pending.write(rest, 0, rest.length);
      return Optional.of(message);
    }

    private static int contentLength(String headers) {
      for (String line : headers.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
          return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return 0;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }
}
