package org.callchain.media.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive side of one clock thread (ADR 0034): an NIO {@link Selector} over the non-blocking
 * channels of the sessions on that thread's wheel, read by the clock thread itself with {@code
 * selectNow} at the start of every wheel slot, before the slot's sessions are ticked. A session's
 * packets are therefore received, put into its jitter buffer, played out and answered on one
 * thread: no hand-off between a receive thread and a clock thread, no thread woken per datagram.
 *
 * <p>On time, each ready channel is read once per pass: a stream brings one packet per 20 ms, a
 * second read would nearly always be an {@code EAGAIN} system call, and a datagram left queued
 * keeps the channel ready for the next pass, one slot later. A pass that starts more than {@link
 * #BEHIND_NANOS} after the previous one (the thread did not get the CPU) drains every ready channel
 * instead, so a starved thread catches up rather than letting socket buffers fill. A pass stamps
 * its datagrams with one arrival time, its start: at most a slot (2 ms) plus the pass after the
 * real arrival.
 *
 * <p>Only the owning clock thread touches the selector; other threads hand channels over through
 * {@link #register}, taken up at the next pass.
 */
final class ChannelPoller implements AutoCloseable {
  /** A pass this long after the previous one drains each ready channel. */
  static final long BEHIND_NANOS = 5_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(ChannelPoller.class);
  private static final int MAX_DATAGRAM = 2048;
  private static final int MAX_READS_PER_KEY = 64;

  /** Called with each datagram; {@code data} is only valid during the call. */
  interface Handler {
    void onDatagram(byte[] data, int length, InetSocketAddress from, long arrivalNanos);
  }

  private record Registration(DatagramChannel channel, Handler handler) {}

  private final Selector selector;
  private final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
  private long lastPass = System.nanoTime();

  ChannelPoller() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open an NIO selector", e);
    }
  }

  /** Any thread: the channel is read from the next pass on. */
  void register(DatagramChannel channel, Handler handler) {
    pending.add(new Registration(channel, handler));
  }

  /**
   * The owning thread: reads what is ready now and hands it to the handlers.
   *
   * @return datagrams read
   */
  int poll() {
    try {
      Registration r;
      while ((r = pending.poll()) != null) {
        if (r.channel().isOpen()) {
          r.channel().register(selector, SelectionKey.OP_READ, r.handler());
        }
      }
      if (selector.keys().isEmpty()) {
        return 0;
      }
      selector.selectNow();
    } catch (IOException | RuntimeException e) {
      LOG.warn("media receive pass failed; the next slot tries again", e);
      return 0;
    }
    long now = System.nanoTime();
    // on time, one read per ready channel; behind (starved), drain them
    int reads = now - lastPass > BEHIND_NANOS ? MAX_READS_PER_KEY : 1;
    lastPass = now;
    int received = 0;
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      if (key.isValid()) {
        received += drain(key, now, reads);
      }
    }
    return received;
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

  /** After the owning thread has stopped. */
  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // shutting down
    }
  }
}
