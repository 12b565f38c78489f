package org.callchain.media.internal.engine;

import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared media clock: a few threads (not one per call), each turning a timer wheel of {@link
 * #SLOTS} slots. A thread wakes every {@link #SLOT_NANOS} against an absolute schedule and ticks
 * the sessions of one slot, so every session is ticked once per {@link #PERIOD_NANOS}, and the
 * sessions of a thread are spread evenly over the period instead of all being served in one burst.
 * Each session keeps its own due times (ptime 10..120 ms, playout 20 ms) aligned to its slot's
 * ticks. A tick is given its scheduled time: after a late wake-up the thread runs the missed slots
 * back to back, each session catches up on exactly the frames that were due, and a stall of more
 * than {@link #MAX_CATCH_UP_NANOS} is skipped rather than burst.
 *
 * <p>Each thread also receives for its own sessions (ADR 0034): its {@link ChannelPoller} reads the
 * channels that are ready at the start of every slot, before the slot's sessions are ticked, so a
 * session is received, played out and sent on one thread.
 */
final class MediaClock implements AutoCloseable {
  static final long PERIOD_NANOS = 10_000_000L;
  static final int SLOTS = 5;
  static final long SLOT_NANOS = PERIOD_NANOS / SLOTS;
  static final long MAX_CATCH_UP_NANOS = 10 * PERIOD_NANOS;
  private static final Logger LOG = LoggerFactory.getLogger(MediaClock.class);

  /** Work a session does at each tick. */
  interface Tickable {
    /**
     * @param tickNanos the scheduled time of this tick ({@link System#nanoTime} base); the thread
     *     may run it later than that
     */
    void tick(long tickNanos);
  }

  /**
   * One thread's wheel. Each slot is an array, replaced as a whole (under the wheel's lock) when a
   * session joins or leaves, so the thread walks a plain array at every tick: no iterator, no
   * hash-table nodes to chase, and a call set-up never blocks the clock.
   */
  private final class Wheel implements Runnable {
    private static final Tickable[] EMPTY = new Tickable[0];
    final AtomicReferenceArray<Tickable[]> slots = new AtomicReferenceArray<>(SLOTS);
    final AtomicLong added = new AtomicLong();
    final ChannelPoller poller = new ChannelPoller();

    Wheel() {
      for (int i = 0; i < SLOTS; i++) {
        slots.set(i, EMPTY);
      }
    }

    synchronized void add(int slot, Tickable t) {
      Tickable[] old = slots.get(slot);
      Tickable[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = t;
      slots.set(slot, grown);
    }

    synchronized void remove(int slot, Tickable t) {
      Tickable[] old = slots.get(slot);
      for (int i = 0; i < old.length; i++) {
        if (old[i] == t) {
          Tickable[] shrunk = Arrays.copyOf(old, old.length - 1);
          System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
          slots.set(slot, shrunk);
          return;
        }
      }
    }

    @Override
    public void run() {
      long next = System.nanoTime();
      int slot = 0;
      boolean parked = false;
      while (running) {
        long now = System.nanoTime();
        long wait = next - now;
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          parked = true;
          continue;
        }
        if (parked) {
          timing.overslept(-wait); // woke up this late: the run queue or the timer, not our work
          parked = false;
        }
        timing.slotStarted(-wait);
        if (-wait > PERIOD_NANOS / 2) {
          lateTicks.incrementAndGet();
        }
        for (Tickable t : slots.get(slot)) { // the array in force when the tick began
          try {
            t.tick(next);
          } catch (RuntimeException e) {
            LOG.warn("media session tick failed; it keeps its place on the clock", e);
          }
        }
        // then what arrived for this thread's sessions: the due frames went out first
        poller.poll();
        long passEnd = System.nanoTime();
        timing.passTook(passEnd - now);
        slot = (slot + 1) % SLOTS;
        next += SLOT_NANOS;
        long behind = passEnd - next;
        if (behind > MAX_CATCH_UP_NANOS) {
          // fell far behind: do not burst to catch up; resume at the current slot of the wheel
          long slotsBehind = behind / SLOT_NANOS;
          next += slotsBehind * SLOT_NANOS;
          slot = (int) ((slot + slotsBehind) % SLOTS);
        }
      }
    }
  }

  private final List<Wheel> wheels = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private record Place(Wheel wheel, int slot) {}

  private final Map<Tickable, Place> placed = new ConcurrentHashMap<>();
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicLong lateTicks = new AtomicLong();
  private final ClockTiming timing = new ClockTiming();
  private final LongAdder latePlayoutFrames = new LongAdder();
  private final LongAdder lateSendFrames = new LongAdder();
  private volatile boolean running = true;

  MediaClock(int threadCount, String name) {
    for (int i = 0; i < threadCount; i++) {
      Wheel w = new Wheel();
      wheels.add(w);
      Thread t = new Thread(w, name + "-clock-" + i);
      t.setDaemon(true);
      t.setPriority(Thread.MAX_PRIORITY);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Gives a session its place (round robin over the threads, and on each thread over its slots) and
   * has that place's thread receive on {@code channel} from now on; the session is ticked only once
   * it is {@link #add added}.
   */
  void receive(Tickable t, DatagramChannel channel, ChannelPoller.Handler handler) {
    placeOf(t).wheel().poller.register(channel, handler);
  }

  /** Starts ticking a session, at its place. */
  void add(Tickable t) {
    Place p = placeOf(t);
    p.wheel().add(p.slot(), t);
  }

  private Place placeOf(Tickable t) {
    return placed.computeIfAbsent(
        t,
        k -> {
          Wheel w = wheels.get((int) (assigned.getAndIncrement() % wheels.size()));
          return new Place(w, (int) (w.added.getAndIncrement() % SLOTS));
        });
  }

  void remove(Tickable t) {
    Place p = placed.remove(t);
    if (p != null) {
      p.wheel().remove(p.slot(), t);
    }
  }

  /** A session played {@code frames} frames more than one frame period after they were due. */
  void latePlayout(long frames) {
    latePlayoutFrames.add(frames);
  }

  /** A session sent a packet more than one packet time after it was due. */
  void lateSend() {
    lateSendFrames.increment();
  }

  /** Wake-ups more than half a period late (scheduling trouble, GC, an overloaded CPU). */
  long lateTicks() {
    return lateTicks.get();
  }

  /** Slot lateness so far, and its maxima since the previous call. */
  ClockTiming.Snapshot timing() {
    return timing.take();
  }

  /**
   * Playout frames handed to the sink more than one frame after their due time: an audio device
   * would have run dry. An underrun caused by our own scheduling, whatever the jitter buffer held.
   */
  long latePlayoutFrames() {
    return latePlayoutFrames.sum();
  }

  /** Packets sent more than one packet time late: the peer's buffer has that much less margin. */
  long lateSendFrames() {
    return lateSendFrames.sum();
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      LockSupport.unpark(t);
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (Wheel w : wheels) {
      w.poller.close();
    }
  }
}
