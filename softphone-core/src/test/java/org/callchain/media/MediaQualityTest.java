package org.callchain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The figures a call prints when it ends. */
class MediaQualityTest {

  @Test
  void summaryIsOneReadableLine() {
    MediaQuality q =
        new MediaQuality(
            1500,
            1498,
            2,
            1.23,
            35,
            4.381,
            0,
            new JitterStatistics(0, 2, 2, 0, 0, 0, 0, 0, 60, 40));
    assertEquals(
        "sent 1500, received 1498, lost 2 (0.13%), jitter 1.2 ms, RTT 35.0 ms, MOS 4.38,"
            + " jitter buffer 60 ms, concealed 2, discarded 0",
        q.summary());
    assertEquals(2.0 / 1500, q.lossFraction(), 1e-12); // expected = received + lost
  }

  @Test
  void unknownRoundTripAndTheOldConstructor() {
    MediaQuality q = new MediaQuality(10, 0, 0, 0, -1, 0);
    assertEquals(JitterStatistics.NONE, q.jitterBuffer());
    assertEquals(
        "sent 10, received 0, lost 0 (0.00%), jitter 0.0 ms, RTT unknown, MOS 0.00,"
            + " jitter buffer 0 ms, concealed 0, discarded 0",
        q.summary());
  }
}
