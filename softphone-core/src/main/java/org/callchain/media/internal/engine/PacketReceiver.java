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
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the datagrams of all sessions on a few threads, each with one NIO {@link Selector} over
 * the non-blocking channels it was given; no thread per call. Handlers run on these threads.
 *
 * <p>Under load a thread polls instead of sleeping until the next datagram (ADR 0033): after a pass
 * that received something it parks until {@link #POLL_NANOS} after the pass began, then takes
 * whatever arrived meanwhile with {@code selectNow}. A sender's {@code sendto} then finds no thread
 * waiting to be woken, and 1,000 calls cost a thousand wake-ups a second instead of one per packet
 * (on 2 cores in a VM, a cross-CPU wake-up costs more than the datagram). Only after a pass that
 * found nothing does the thread block in {@code select}, so an idle phone sleeps. On time, each
 * ready channel is read once per pass: a second read would nearly always be an {@code EAGAIN}
 * system call (a stream brings one packet per 20 ms), and a datagram left queued keeps the channel
 * ready for the next pass, {@link #POLL_NANOS} later. A pass that starts more than {@link
 * #BEHIND_NANOS} after the previous one (the thread did not get the CPU) drains every ready channel
 * instead, so a starved thread catches up rather than letting socket buffers fill. A pass stamps
 * its datagrams with one arrival time, its start.
 */
final class PacketReceiver implements AutoCloseable {
  /** The polling interval under load: the most a datagram waits before it is read. */
  static final long POLL_NANOS = 1_000_000L;

  /** A pass this long after the previous one drains each ready channel. */
  static final long BEHIND_NANOS = 5 * POLL_NANOS;

  private static final Logger LOG = LoggerFactory.getLogger(PacketReceiver.class);
  private static final int MAX_DATAGRAM = 2048;
  private static final int MAX_READS_PER_KEY = 64;
  private static final long IDLE_SELECT_MILLIS = 200;

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
      long passStart = System.nanoTime();
      boolean busy = false;
      while (running) {
        try {
          if (busy) {
            long wait = passStart + POLL_NANOS - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            selector.selectNow();
          } else {
            selector.select(IDLE_SELECT_MILLIS);
          }
          long now = System.nanoTime();
          // on time, one read per ready channel; behind (starved), drain them
          int reads = now - passStart > BEHIND_NANOS ? MAX_READS_PER_KEY : 1;
          passStart = now;
          int received = 0;
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (key.isValid()) {
              received += drain(key, passStart, reads);
            }
          }
          busy = received > 0;
          Registration r;
          while ((r = pending.poll()) != null) {
            if (r.channel().isOpen()) {
              r.channel().register(selector, SelectionKey.OP_READ, r.handler());
            }
          }
        } catch (ClosedSelectorException e) {
          return;
        } catch (IOException | RuntimeException e) {
          LOG.warn("media receive loop error; continuing", e);
        }
      }
    }

    /** Reads up to {@code maxReads} datagrams, fewer if the channel runs empty. */
    private int drain(SelectionKey key, long arrivalNanos, int maxReads) {
      DatagramChannel ch = (DatagramChannel) key.channel();
      Handler handler = (Handler) key.attachment();
      for (int i = 0; i < maxReads; i++) {
        buffer.clear();
        InetSocketAddress from;
        try {
          from = (InetSocketAddress) ch.receive(buffer);
        } catch (IOException e) {
          // ICMP port unreachable surfaces here on some platforms; the channel stays usable
          return i;
        }
        if (from == null) {
          return i;
        }
        try {
          handler.onDatagram(buffer.array(), buffer.position(), from, arrivalNanos);
        } catch (RuntimeException e) {
          LOG.warn("media packet handler failed; packet dropped", e);
        }
      }
      return maxReads;
    }
  }

  private final List<Loop> loops = new ArrayList<>();
  private final AtomicLong assigned = new AtomicLong();
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
