package org.callchain.media.internal.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How late the clock threads of an engine start their wheel slots, for telling the causes of late
 * playout frames apart (issue 3): a slot started more than a frame (20 ms) late makes its sessions'
 * frames late. Per slot pass the clock records its lateness (start minus scheduled time) in a
 * histogram, and keeps three maxima since they were last {@link #take taken}: the lateness, the
 * oversleep (a thread that parked until a slot woke up this much after it: run-queue wait or timer
 * slack, not our work), and the longest pass over one slot (our work per tick, plus any preemption
 * during it).
 */
public final class ClockTiming {
  /** Upper bounds (exclusive) of the lateness buckets, in ms; the last bucket is open. */
  public static final long[] BUCKET_LIMITS_MILLIS = {1, 2, 5, 10, 20};

  private final LongAdder[] buckets = new LongAdder[BUCKET_LIMITS_MILLIS.length + 1];
  private final AtomicLong maxLateness = new AtomicLong();
  private final AtomicLong maxOversleep = new AtomicLong();
  private final AtomicLong maxPass = new AtomicLong();

  /** What was recorded: the histogram since start, the maxima since the previous take. */
  public record Snapshot(
      long[] latenessCounts, long maxLatenessNanos, long maxOversleepNanos, long maxPassNanos) {}

  ClockTiming() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void slotStarted(long latenessNanos) {
    long millis = latenessNanos / 1_000_000L;
    int b = 0;
    while (b < BUCKET_LIMITS_MILLIS.length && millis >= BUCKET_LIMITS_MILLIS[b]) {
      b++;
    }
    buckets[b].increment();
    raise(maxLateness, latenessNanos);
  }

  void overslept(long nanos) {
    raise(maxOversleep, nanos);
  }

  void passTook(long nanos) {
    raise(maxPass, nanos);
  }

  private static void raise(AtomicLong max, long value) {
    // a plain read first: the maximum rarely moves, so the clock rarely writes
    if (value > max.get()) {
      max.accumulateAndGet(value, Math::max);
    }
  }

  /** The histogram so far and the maxima since the previous take, which restart from zero. */
  Snapshot take() {
    long[] counts = new long[buckets.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = buckets[i].sum();
    }
    return new Snapshot(
        counts, maxLateness.getAndSet(0), maxOversleep.getAndSet(0), maxPass.getAndSet(0));
  }

  /** Adds two engines' snapshots: counts summed, maxima the larger. */
  public static Snapshot combine(Snapshot a, Snapshot b) {
    long[] counts = new long[a.latenessCounts().length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = a.latenessCounts()[i] + b.latenessCounts()[i];
    }
    return new Snapshot(
        counts,
        Math.max(a.maxLatenessNanos(), b.maxLatenessNanos()),
        Math.max(a.maxOversleepNanos(), b.maxOversleepNanos()),
        Math.max(a.maxPassNanos(), b.maxPassNanos()));
  }
}
