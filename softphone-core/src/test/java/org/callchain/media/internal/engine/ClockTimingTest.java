package org.callchain.media.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClockTimingTest {
  private static final long MS = 1_000_000L;

  @Test
  void slotLatenessFallsIntoItsBucketAndTheMaximaRestartWhenTaken() {
    ClockTiming timing = new ClockTiming();
    timing.slotStarted(0);
    timing.slotStarted(MS / 2);
    timing.slotStarted(1 * MS);
    timing.slotStarted(4 * MS);
    timing.slotStarted(19 * MS);
    timing.slotStarted(20 * MS);
    timing.slotStarted(250 * MS);
    timing.overslept(3 * MS);
    timing.passTook(7 * MS);

    ClockTiming.Snapshot first = timing.take();
    assertArrayEquals(new long[] {2, 1, 1, 0, 1, 2}, first.latenessCounts());
    assertEquals(250 * MS, first.maxLatenessNanos());
    assertEquals(3 * MS, first.maxOversleepNanos());
    assertEquals(7 * MS, first.maxPassNanos());

    timing.slotStarted(2 * MS);
    ClockTiming.Snapshot second = timing.take();
    assertArrayEquals(new long[] {2, 1, 2, 0, 1, 2}, second.latenessCounts(), "counts accumulate");
    assertEquals(2 * MS, second.maxLatenessNanos(), "the maximum since the previous take");
    assertEquals(0, second.maxOversleepNanos());
  }

  @Test
  void twoEnginesCombineBySummingCountsAndTakingTheLargerMaxima() {
    ClockTiming a = new ClockTiming();
    ClockTiming b = new ClockTiming();
    a.slotStarted(30 * MS);
    b.slotStarted(0);
    b.passTook(5 * MS);
    ClockTiming.Snapshot both = ClockTiming.combine(a.take(), b.take());
    assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1}, both.latenessCounts());
    assertEquals(30 * MS, both.maxLatenessNanos());
    assertEquals(5 * MS, both.maxPassNanos());
  }
}
