package org.callchain.media.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The timer wheel: every session is ticked once per period on its own slot, sessions are spread
 * over the slots, and tick times are the schedule's (so a late wake-up catches up tick by tick).
 * Checked on the scheduled times the clock hands out, which do not depend on how busy the machine
 * is; the waits are bounded.
 */
class MediaClockTest {
  private static final class Recorder implements MediaClock.Tickable {
    final List<Long> ticks = new CopyOnWriteArrayList<>();
    volatile Thread tickThread;

    @Override
    public void tick(long tickNanos) {
      tickThread = Thread.currentThread();
      ticks.add(tickNanos);
    }
  }

  private static void awaitTicks(List<Recorder> sessions, int ticks) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (sessions.stream().anyMatch(r -> r.ticks.size() < ticks)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void ticksEachSessionOncePerPeriodOnItsOwnSlot() throws InterruptedException {
    List<Recorder> sessions = new ArrayList<>();
    try (MediaClock clock = new MediaClock(1, "test")) {
      for (int i = 0; i < 10; i++) {
        Recorder r = new Recorder();
        sessions.add(r);
        clock.add(r);
      }
      awaitTicks(sessions, 20);
    }
    Set<Long> phases = new HashSet<>();
    long anyTick = sessions.get(0).ticks.get(0);
    for (Recorder r : sessions) {
      assertTrue(r.ticks.size() >= 20, "ticked " + r.ticks.size() + " times");
      int onePeriod = 0;
      for (int i = 1; i < 20; i++) {
        long step = r.ticks.get(i) - r.ticks.get(i - 1);
        // a stall of more than 100 ms is skipped, not burst: then whole periods are left out
        assertTrue(step > 0 && step % MediaClock.PERIOD_NANOS == 0, "off the schedule: " + step);
        onePeriod += step == MediaClock.PERIOD_NANOS ? 1 : 0;
      }
      assertTrue(onePeriod >= 15, "one tick per period, nearly always: " + onePeriod + " of 19");
      phases.add(Math.floorMod(r.ticks.get(0) - anyTick, MediaClock.PERIOD_NANOS));
    }
    assertEquals(MediaClock.SLOTS, phases.size(), "ten sessions fill all five slots");
  }

  @Test
  void aRemovedSessionIsNoLongerTicked() throws InterruptedException {
    Recorder kept = new Recorder();
    Recorder removed = new Recorder();
    try (MediaClock clock = new MediaClock(2, "test")) {
      clock.add(kept);
      clock.add(removed);
      awaitTicks(List.of(kept, removed), 3);
      clock.remove(removed);
      int before = removed.ticks.size();
      int keptBefore = kept.ticks.size();
      awaitTicks(List.of(kept), keptBefore + 5);
      assertTrue(kept.ticks.size() >= keptBefore + 5, "the other session goes on");
      assertTrue(removed.ticks.size() <= before + 1, "at most a tick already under way");
    }
  }

  @Test
  void aSessionsDatagramsAreReadOnTheThreadThatTicksIt() throws IOException, InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    List<Thread> readers = new CopyOnWriteArrayList<>();
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    List<Integer> lengths = new CopyOnWriteArrayList<>();
    Recorder session = new Recorder();
    try (MediaClock clock = new MediaClock(2, "test");
        DatagramChannel rtp = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
      rtp.bind(new InetSocketAddress(loopback, 0));
      rtp.configureBlocking(false);
      clock.receive(
          session,
          rtp,
          (data, length, from, arrivalNanos) -> {
            readers.add(Thread.currentThread());
            arrivals.add(arrivalNanos);
            lengths.add(length);
          });
      long sentAt = System.nanoTime();
      // read before the session is ticked: packets before the answer are counted as such
      peer.send(ByteBuffer.wrap(new byte[12]), rtp.getLocalAddress());
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (readers.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(List.of(12), lengths, "the datagram, read once");
      assertTrue(arrivals.get(0) >= sentAt, "stamped at the pass that read it, not before");
      clock.add(session);
      awaitTicks(List.of(session), 2);
      peer.send(ByteBuffer.wrap(new byte[20]), rtp.getLocalAddress());
      while (readers.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(List.of(12, 20), lengths);
      assertEquals(session.tickThread, readers.get(0), "received where it is ticked");
      assertEquals(session.tickThread, readers.get(1), "received where it is ticked");
    }
  }
}
