package org.callchain.phone.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of baresip's {@code ctrl_tcp} module: netstrings ({@code <len>:<json>,}) in both
 * directions. Commands are {@code {"command":..,"params":..,"token":..}}; baresip answers with
 * {@code {"response":true,..}} and pushes {@code {"event":true,"type":..}} for every call state
 * change. A reader thread collects the events; tests wait on them by type.
 */
public final class BaresipControl implements AutoCloseable {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One pushed event: its type ({@code CALL_ESTABLISHED}...) and string fields. */
  public record Event(String type, String direction, String peerUri, String param, String json) {}

  private final Socket socket;
  private final OutputStream out;
  private final List<Event> events = new ArrayList<>();
  private int consumed;
  private int token;
  private final Thread reader;

  private BaresipControl(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    this.reader = new Thread(() -> readLoop(in), "baresip-ctrl-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects, retrying while baresip starts; fails if the process dies or time runs out. */
  static BaresipControl connect(int port, ManagedProcess process, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("baresip exited at start:\n" + process.tail(40));
      }
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return new BaresipControl(s);
      } catch (IOException e) {
        last = e;
        try {
          s.close();
        } catch (IOException ignored) {
          // Never connected.
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "baresip ctrl_tcp did not accept on port "
            + port
            + " ("
            + last
            + "):\n"
            + process.tail(40));
  }

  /** Sends one command; the response arrives asynchronously and is not needed by the tests. */
  public synchronized void command(String command, String params) {
    String json =
        "{\"command\":\""
            + escape(command)
            + "\",\"params\":\""
            + escape(params)
            + "\",\"token\":\"t"
            + (++token)
            + "\"}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try {
      out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.write(',');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("baresip control socket closed", e);
    }
  }

  /**
   * Waits for the next not-yet-consumed event of {@code type}; events of other types before it are
   * skipped over.
   */
  public Optional<Event> awaitEvent(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (int i = consumed; i < events.size(); i++) {
          if (events.get(i).type().equals(type)) {
            consumed = i + 1;
            return Optional.of(events.get(i));
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  public List<Event> eventsSoFar() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private void readLoop(InputStream in) {
    try {
      while (true) {
        int length = 0;
        int c;
        while ((c = in.read()) != ':') {
          if (c < 0) {
            return;
          }
          if (c < '0' || c > '9') {
            throw new IOException("bad netstring length byte " + c);
          }
          length = length * 10 + (c - '0');
        }
        String json = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (in.read() != ',') {
          throw new IOException("netstring without trailing comma");
        }
        if (json.contains("\"event\":true")) {
          Event e = parse(json);
          synchronized (events) {
            events.add(e);
            events.notifyAll();
          }
        }
      }
    } catch (IOException closed) {
      // Socket closed by close() or by baresip quitting: the reader simply ends.
    }
  }

  static Event parse(String json) {
    String type = "";
    String direction = "";
    String peer = "";
    String param = "";
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      switch (m.group(1)) {
        case "type" -> type = m.group(2);
        case "direction" -> direction = m.group(2);
        case "peeruri" -> peer = m.group(2);
        case "param" -> param = m.group(2);
        default -> {
          // Other fields (class, accountaor, id) are kept in json.
        }
      }
    }
    return new Event(type, direction, peer, param, json);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
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
