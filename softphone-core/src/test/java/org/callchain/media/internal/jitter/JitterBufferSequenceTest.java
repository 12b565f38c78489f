package org.callchain.media.internal.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.callchain.media.JitterStatistics;
import org.junit.jupiter.api.Test;

/**
 * Sequence-number handling of the jitter buffer, from RFC 3550 §A.1: 16-bit numbers extended by a
 * wrap count, a jump of up to MAX_DROPOUT (3,000) ahead accepted at once (the skipped numbers are
 * lost), one farther away held on probation until the next packet follows it, duplicates dropped.
 * Each packet's audio is its index in the stream, so the test sees exactly what was played.
 */
class JitterBufferSequenceTest {
  private static final long FRAME_NANOS = 20_000_000L;
  private static final long SSRC = 0x5EED;

  /** Drives a buffer in simulated time: packets arrive, a 20 ms frame is played per step. */
  private static final class Line {
    final JitterBuffer jb =
        new JitterBuffer(new JitterBufferBenchTest.SequenceCodec(), 20, 40, 300);
    final List<Integer> played = new ArrayList<>();
    final short[] frame = new short[160];
    long now;

    JitterBuffer.Arrival send(int index, int seq, long ts) {
      byte[] payload = {(byte) (index >> 8), (byte) index};
      return jb.insert(SSRC, seq & 0xFFFF, ts & 0xFFFFFFFFL, payload, now);
    }

    void play(int frames) {
      for (int i = 0; i < frames; i++) {
        jb.read(frame, 160, now);
        for (short v : frame) {
          if (v > 0 && (played.isEmpty() || played.get(played.size() - 1) != v)) {
            played.add((int) v);
          }
        }
        now += FRAME_NANOS;
      }
    }

    JitterStatistics stats() {
      return jb.statistics();
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> r = new ArrayList<>();
    for (int i = from; i < to; i++) {
      r.add(i);
    }
    return r;
  }

  @Test
  void playsAcrossTheSequenceAndTimestampWrapWithoutLoss() {
    Line line = new Line();
    // 65,500 + 200 wraps the 16-bit number; 0xFFFFF000 + 200·160 wraps the 32-bit timestamp
    for (int i = 1; i <= 200; i++) {
      line.send(i, 65_500 + i, 0xFFFF_F000L + 160L * i);
      line.play(1);
    }
    line.play(20);
    assertEquals(range(1, 201), line.played);
    assertEquals(0, line.stats().lost());
    assertEquals(0, line.stats().discarded());
    assertEquals(1, line.jb.restarts(), "a wrap is not a restart");
  }

  @Test
  void reordersAcrossTheWrap() {
    Line line = new Line();
    int base = 65_530;
    for (int i = 1; i <= 40; i++) {
      if (i == 5) {
        // 65,535 overtaken by 0 of the next cycle: unwrapping must still put it first
        line.send(6, base + 6, 160L * 6);
        line.send(5, base + 5, 160L * 5);
      } else if (i != 6) {
        line.send(i, base + i, 160L * i);
      }
      line.play(1);
    }
    line.play(20);
    assertEquals(range(1, 41), line.played);
    assertEquals(0, line.stats().lost());
    assertEquals(0, line.stats().late());
    assertEquals(0, line.stats().discarded());
  }

  @Test
  void dropsDuplicatesWhetherBufferedOrAlreadyPlayed() {
    Line line = new Line();
    int base = 65_520;
    for (int i = 1; i <= 30; i++) {
      line.send(i, base + i, 160L * i);
      if (i == 15 || i == 16) {
        // 65,535 and then 0 (one cycle later) arrive twice while buffered
        assertEquals(JitterBuffer.Arrival.DUPLICATE, line.send(i, base + i, 160L * i));
      }
      line.play(1);
    }
    // number 2 was played long ago: a copy now is a duplicate, not a late packet
    assertEquals(JitterBuffer.Arrival.DUPLICATE, line.send(2, base + 2, 160L * 2));
    line.play(20);
    assertEquals(range(1, 31), line.played);
    assertEquals(3, line.stats().duplicates());
    assertEquals(3, line.stats().discarded());
    assertEquals(0, line.stats().late());
    assertEquals(0, line.stats().lost());
  }

  @Test
  void aJumpBeyondTheRingButWithinMaxDropoutIsLossNotARestart() {
    Line line = new Line();
    int seq = 40_000;
    for (int i = 1; i <= 50; i++) {
      line.send(i, seq++, 160L * i);
      line.play(1);
    }
    // RFC 3550 A.1: a jump of less than MAX_DROPOUT is accepted; the numbers skipped are lost.
    // 1,000 is far beyond the ring's 128 slots, so what the ring held makes room.
    int jump = 1_000;
    assertTrue(jump > JitterBuffer.CAPACITY);
    seq += jump;
    for (int i = 51; i <= 150; i++) {
      assertEquals(JitterBuffer.Arrival.ACCEPTED, line.send(i, seq++, 160L * i));
      line.play(1);
    }
    line.play(20);
    assertEquals(1, line.jb.restarts(), "no probation, no restart");
    JitterStatistics st = line.stats();
    assertTrue(st.lost() >= jump && st.lost() <= jump + 1, st.toString());
    // the ring held at most the target delay worth of packets when the jump came
    assertTrue(st.discarded() <= 6, st.toString());
    List<Integer> after = line.played.subList(line.played.indexOf(51), line.played.size());
    assertEquals(range(51, 151), after, "the stream after the jump is played whole and in order");
  }

  @Test
  void aStrayPacketFarAwayIsHeldOnProbationAndChangesNothing() {
    Line line = new Line();
    for (int i = 1; i <= 60; i++) {
      line.send(i, 1_000 + i, 160L * i);
      if (i == 30) {
        // more than MAX_DROPOUT ahead, and more than MAX_MISORDER behind
        assertEquals(JitterBuffer.Arrival.PROBATION, line.send(999, 1_000 + i + 5_000, 0));
        assertEquals(JitterBuffer.Arrival.PROBATION, line.send(998, 1_000 + i - 150, 0));
      }
      line.play(1);
    }
    line.play(20);
    assertEquals(range(1, 61), line.played);
    assertEquals(1, line.jb.restarts());
    assertEquals(2, line.stats().discarded());
    assertEquals(0, line.stats().lost());
  }
}
