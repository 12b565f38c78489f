package org.callchain.media.internal.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 3550 Appendix A.1 (sequence), A.3 (loss) and A.8 (jitter) arithmetic. */
class ReceptionStatisticsTest {
  private static final long MS = 1_000_000L;

  @Test
  void countsLossAcrossASequenceWrap() {
    ReceptionStatistics rx = new ReceptionStatistics(8000);
    int seq = 65530;
    for (int i = 0; i < 20; i++) {
      if (i != 10 && i != 11) {
        rx.update(5, (seq + i) & 0xFFFF, 160L * i, i * 20 * MS);
      }
    }
    assertEquals(65536 + 13, rx.extendedHighestSequence()); // 65530 + 19 wrapped once
    assertEquals(2, rx.cumulativeLost());
    // A.3 fraction: 2 of the 19 expected since the end of probation, in 1/256
    assertEquals((2 << 8) / 19, rx.takeFractionLost());
    assertEquals(0, rx.takeFractionLost());
  }

  @Test
  void newSourceNeedsTwoSequentialPacketsAndAJumpIsConfirmedByTheNext() {
    ReceptionStatistics rx = new ReceptionStatistics(8000);
    assertFalse(rx.update(9, 100, 0, 0)); // probation (MIN_SEQUENTIAL = 2)
    assertTrue(rx.update(9, 101, 160, 20 * MS));
    assertFalse(rx.update(9, 30000, 320, 40 * MS)); // wild jump: held back
    assertTrue(rx.update(9, 30001, 480, 60 * MS)); // confirmed: the source restarted
    assertEquals(0, rx.cumulativeLost());
  }

  @Test
  void jitterOfAConstantDelayStreamIsZeroAndGrowsWithVariation() {
    ReceptionStatistics rx = new ReceptionStatistics(8000);
    for (int i = 0; i < 100; i++) {
      rx.update(1, i, 160L * i, i * 20 * MS + 5 * MS);
    }
    assertEquals(0, rx.jitterMillis(), 0.01);
    for (int i = 100; i < 400; i++) {
      long wobble = (i % 2 == 0) ? 0 : 10 * MS; // transit alternates by 10 ms
      rx.update(1, i, 160L * i, i * 20 * MS + wobble);
    }
    // A.8: J converges to the mean |D| = 10 ms
    assertEquals(10, rx.jitterMillis(), 0.5);
    assertEquals(80, rx.jitterUnits(), 4);
  }
}
