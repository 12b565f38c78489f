package org.callchain.media.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared media clock: a few threads (not one per call) that wake every {@link #PERIOD_NANOS}
 * and let every session send the frames and play out the audio that are due. Sessions keep their
 * own due times, so ptime 10..120 ms works with one tick rate, and a late tick catches up. Sessions
 * are spread over the threads; each session is only ever ticked by one thread.
 */
final class MediaClock implements AutoCloseable {
  static final long PERIOD_NANOS = 10_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(MediaClock.class);

  /** Work a session does at each tick. */
  interface Tickable {
    void tick(long nowNanos);
  }

  private final List<Set<Tickable>> shards = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicLong lateTicks = new AtomicLong();
  private volatile boolean running = true;

  MediaClock(int threadCount, String name) {
    for (int i = 0; i < threadCount; i++) {
      Set<Tickable> shard = ConcurrentHashMap.newKeySet();
      shards.add(shard);
      Thread t = new Thread(() -> run(shard), name + "-clock-" + i);
      t.setDaemon(true);
      t.setPriority(Thread.MAX_PRIORITY);
      threads.add(t);
      t.start();
    }
  }

  void add(Tickable t) {
    shards.get((int) (assigned.getAndIncrement() % shards.size())).add(t);
  }

  void remove(Tickable t) {
    for (Set<Tickable> s : shards) {
      s.remove(t);
    }
  }

  /**
   * Ticks that started more than half a period late (scheduling trouble, GC, an overloaded CPU).
   */
  long lateTicks() {
    return lateTicks.get();
  }

  private void run(Set<Tickable> shard) {
    long next = System.nanoTime();
    while (running) {
      long now = System.nanoTime();
      long wait = next - now;
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      if (-wait > PERIOD_NANOS / 2) {
        lateTicks.incrementAndGet();
      }
      for (Tickable t : shard) {
        try {
          t.tick(now);
        } catch (RuntimeException e) {
          LOG.warn("media session tick failed; it keeps its place on the clock", e);
        }
      }
      next += PERIOD_NANOS;
      if (System.nanoTime() - next > 10 * PERIOD_NANOS) {
        next = System.nanoTime(); // we fell far behind: do not burst to catch up
      }
    }
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
  }
}
