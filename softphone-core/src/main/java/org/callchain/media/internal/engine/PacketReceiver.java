package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the datagrams of all sessions on a few threads, each with one NIO {@link Selector} over
 * the non-blocking channels it was given; no thread per call. Handlers run on these threads.
 */
final class PacketReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PacketReceiver.class);
  private static final int MAX_DATAGRAM = 2048;
  private static final int MAX_READS_PER_WAKEUP = 64;

  /** Called with each datagram; {@code data} is only valid during the call. */
  interface Handler {
    void onDatagram(byte[] data, int length, InetSocketAddress from, long arrivalNanos);
  }

  private record Registration(DatagramChannel channel, Handler handler) {}

  private final class Loop implements Runnable {
    final Selector selector;
    final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
    final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);

    Loop() throws IOException {
      selector = Selector.open();
    }

    @Override
    public void run() {
      while (running) {
        try {
          selector.select(200);
          Registration r;
          while ((r = pending.poll()) != null) {
            if (r.channel().isOpen()) {
              r.channel().register(selector, SelectionKey.OP_READ, r.handler());
            }
          }
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (key.isValid()) {
              drain(key);
            }
          }
        } catch (ClosedSelectorException e) {
          return;
        } catch (IOException | RuntimeException e) {
          LOG.warn("media receive loop error; continuing", e);
        }
      }
    }

    private void drain(SelectionKey key) {
      DatagramChannel ch = (DatagramChannel) key.channel();
      Handler h = (Handler) key.attachment();
      for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
        buffer.clear();
        InetSocketAddress from;
        try {
          from = (InetSocketAddress) ch.receive(buffer);
        } catch (IOException e) {
          // ICMP port unreachable surfaces here on some platforms; the channel stays usable
          return;
        }
        if (from == null) {
          return;
        }
        datagrams.incrementAndGet();
        try {
          h.onDatagram(buffer.array(), buffer.position(), from, System.nanoTime());
        } catch (RuntimeException e) {
          LOG.warn("media packet handler failed; packet dropped", e);
        }
      }
    }
  }

  private final List<Loop> loops = new ArrayList<>();
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicLong datagrams = new AtomicLong();
  private volatile boolean running = true;

  PacketReceiver(int threads, String name) {
    try {
      for (int i = 0; i < threads; i++) {
        Loop loop = new Loop();
        loops.add(loop);
        Thread t = new Thread(loop, name + "-rx-" + i);
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot open an NIO selector", e);
    }
  }

  void register(DatagramChannel channel, Handler handler) {
    Loop loop = loops.get((int) (assigned.getAndIncrement() % loops.size()));
    loop.pending.add(new Registration(channel, handler));
    loop.selector.wakeup();
  }

  long datagrams() {
    return datagrams.get();
  }

  @Override
  public void close() {
    running = false;
    for (Loop l : loops) {
      try {
        l.selector.close();
      } catch (IOException ignored) {
        // shutting down
      }
    }
  }
}
