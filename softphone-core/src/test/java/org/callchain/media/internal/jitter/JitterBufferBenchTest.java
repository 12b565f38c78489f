package org.callchain.media.internal.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.callchain.media.JitterStatistics;
import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.codec.AudioCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jitter-buffer impairment bench: each scenario replays 60 s of 20 ms packets (3000) through
 * simulated time, reading one 20 ms playout frame every 20 ms, and checks the buffer's counters
 * against limits written here. Packets carry their sequence number as audio, so the played order
 * can be checked too.
 */
class JitterBufferBenchTest {
  private static final int PACKETS = 3000;
  private static final long FRAME_NANOS = 20_000_000L;

  /** A packet as the network delivers it. */
  record Delivery(long ssrc, int seq, long ts, long arrivalNanos, boolean dtx) {}

  /** Decodes a 2-byte payload into 160 samples holding the sequence number; conceals with -1. */
  static final class SequenceCodec implements AudioCodec {
    @Override
    public PayloadFormat format() {
      return PayloadFormat.PCMU;
    }

    @Override
    public int sampleRate() {
      return 8000;
    }

    @Override
    public int encode(short[] pcm, int samples, byte[] out) {
      throw new IllegalStateException("the bench only decodes");
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] out) {
      short v = (short) (((payload[offset] & 0xFF) << 8) | (payload[offset + 1] & 0xFF));
      Arrays.fill(out, 0, 160, v);
      return 160;
    }

    @Override
    public void conceal(short[] out, int samples) {
      Arrays.fill(out, 0, samples, (short) -1);
    }
  }

  /**
   * What playout produced: the packets heard, in order (each run of one packet's samples once; -1
   * concealment, -2 silence); the media the buffer held at each frame, with its target; and for
   * each packet heard, how long after its arrival its first sample was played (seconds into the
   * stream, milliseconds waited).
   */
  record Result(
      JitterStatistics stats,
      List<Integer> played,
      long restarts,
      long scaledPackets,
      List<double[]> delays,
      List<double[]> waits) {
    long playedCount() {
      return played.stream().filter(v -> v >= 0).count();
    }

    boolean playedInOrder() {
      int last = Integer.MIN_VALUE;
      for (int v : played) {
        if (v >= 0) {
          if (v <= last) {
            return false;
          }
          last = v;
        }
      }
      return true;
    }
  }

  static Result replay(List<Delivery> deliveries) {
    List<Delivery> byArrival = new ArrayList<>(deliveries);
    byArrival.sort(Comparator.comparingLong(Delivery::arrivalNanos));
    JitterBuffer jb = new JitterBuffer(new SequenceCodec(), 20, 40, 300);
    long end = byArrival.get(byArrival.size() - 1).arrivalNanos() + 500_000_000L;
    short[] frame = new short[160];
    List<Integer> played = new ArrayList<>();
    List<double[]> delays = new ArrayList<>();
    List<double[]> waits = new ArrayList<>();
    Map<Integer, Long> arrivals = new HashMap<>();
    for (Delivery d : byArrival) {
      arrivals.putIfAbsent(d.seq(), d.arrivalNanos());
    }
    int next = 0;
    for (long now = 0; now < end; now += FRAME_NANOS) {
      while (next < byArrival.size() && byArrival.get(next).arrivalNanos() <= now) {
        Delivery d = byArrival.get(next++);
        byte[] payload = {(byte) (d.seq() >> 8), (byte) d.seq()};
        jb.insert(d.ssrc(), d.seq() & 0xFFFF, d.ts() & 0xFFFFFFFFL, payload, d.arrivalNanos());
      }
      if (next == byArrival.size() && jb.statistics().currentDelayMillis() < 20) {
        // less than a frame left of the last packet: what follows would be end-of-stream underruns
        break;
      }
      jb.read(frame, 160, now);
      heard(frame, played, now, arrivals, waits);
      JitterStatistics st = jb.statistics();
      // what the buffer held when this frame was due: what it holds now plus the frame just read
      delays.add(new double[] {now / 1e9, st.currentDelayMillis() + 20, st.targetDelayMillis()});
    }
    return new Result(jb.statistics(), played, jb.restarts(), jb.scaledPackets(), delays, waits);
  }

  /**
   * Appends what a frame let us hear. Playout frames need not line up with packets (a packet may be
   * played a few samples shorter or longer), so every sample is looked at.
   */
  static void heard(
      short[] frame,
      List<Integer> played,
      long frameNanos,
      Map<Integer, Long> arrivals,
      List<double[]> waits) {
    for (int i = 0; i < frame.length; i++) {
      int value = frame[i] == 0 ? -2 : frame[i];
      if (played.isEmpty() || played.get(played.size() - 1) != value) {
        played.add(value);
        Long arrival = arrivals.get(value);
        if (arrival != null) {
          long heardAt = frameNanos + i * 125_000L; // 8 kHz: 125 µs a sample
          waits.add(new double[] {heardAt / 1e9, (heardAt - arrival) / 1e6});
        }
      }
    }
  }

  /** Packet i sent at i·20 ms·(1+drift), arriving 10 ms later. */
  static List<Delivery> stream(double drift) {
    List<Delivery> out = new ArrayList<>();
    for (int i = 0; i < PACKETS; i++) {
      long sent = (long) (i * FRAME_NANOS * (1 + drift));
      out.add(new Delivery(0x1234, 1000 + i, 5000 + 160L * i, sent + 10_000_000L, false));
    }
    return out;
  }

  private static Delivery delayed(Delivery d, long nanos) {
    return new Delivery(d.ssrc(), d.seq(), d.ts(), d.arrivalNanos() + nanos, d.dtx());
  }

  @Test
  void ideal() {
    Result r = replay(stream(0));
    assertEquals(0, r.stats().lost());
    assertEquals(0, r.stats().discarded());
    assertEquals(0, r.stats().concealed());
    assertEquals(0, r.stats().underruns());
    assertEquals(PACKETS, r.playedCount());
    assertTrue(r.playedInOrder());
    assertTrue(r.stats().currentDelayMillis() <= 60, "delay " + r.stats());
  }

  @Test
  void jitteryNetwork() {
    Random rnd = new Random(1);
    List<Delivery> s = new ArrayList<>();
    for (Delivery d : stream(0)) {
      s.add(delayed(d, (long) (rnd.nextDouble() * 30_000_000L)));
    }
    Result r = replay(s);
    // uniform 0..30 ms delay variation: the adaptive target must absorb nearly all of it
    assertTrue(r.stats().lost() <= PACKETS * 0.01, "lost " + r.stats());
    assertTrue(r.stats().late() <= PACKETS * 0.01, "late " + r.stats());
    assertTrue(r.stats().targetDelayMillis() >= 40 && r.stats().targetDelayMillis() <= 120);
    assertTrue(r.playedInOrder());
  }

  @Test
  void randomLoss() {
    Random rnd = new Random(2);
    List<Delivery> s = new ArrayList<>(stream(0));
    s.removeIf(d -> d.seq() > 1005 && rnd.nextDouble() < 0.05);
    int dropped = PACKETS - s.size();
    Result r = replay(s);
    assertEquals(dropped, r.stats().lost(), "every missing packet is counted lost once");
    assertEquals(0, r.stats().discarded());
    assertTrue(r.stats().concealed() <= dropped, "concealed " + r.stats());
    // an empty buffer only when two packets in a row are lost (0.25% of packets at 5% loss)
    assertTrue(r.stats().underruns() <= PACKETS * 0.005, "underruns " + r.stats());
    assertEquals(s.size(), r.playedCount());
  }

  @Test
  void burstLoss() {
    List<Delivery> s = new ArrayList<>(stream(0));
    // ten bursts of ten packets
    s.removeIf(d -> d.seq() >= 1200 && (d.seq() - 1200) % 250 < 10 && d.seq() < 1200 + 2500);
    int dropped = PACKETS - s.size();
    assertEquals(100, dropped);
    Result r = replay(s);
    assertEquals(100, r.stats().lost());
    assertEquals(0, r.stats().discarded());
    assertTrue(
        r.stats().underruns() <= 3 * 10, "at most three empty frames per burst " + r.stats());
    assertTrue(r.stats().concealed() <= 3 * 10, "concealment stops after 60 ms " + r.stats());
    assertTrue(r.playedInOrder());
  }

  @Test
  void duplicates() {
    List<Delivery> s = new ArrayList<>(stream(0));
    int dups = 0;
    for (Delivery d : stream(0)) {
      if (d.seq() % 10 == 3) {
        s.add(delayed(d, 5_000_000L));
        dups++;
      }
    }
    Result r = replay(s);
    assertEquals(dups, r.stats().duplicates());
    assertEquals(dups, r.stats().discarded());
    assertEquals(0, r.stats().lost());
    assertEquals(0, r.stats().concealed());
    assertEquals(PACKETS, r.playedCount());
  }

  @Test
  void reordering() {
    List<Delivery> s = new ArrayList<>();
    for (Delivery d : stream(0)) {
      // every 10th packet overtaken by its successor: 25 ms extra delay
      s.add(d.seq() % 10 == 5 ? delayed(d, 25_000_000L) : d);
    }
    Result r = replay(s);
    assertEquals(0, r.stats().lost(), r.stats().toString());
    assertEquals(0, r.stats().late());
    assertTrue(r.playedInOrder(), "reordered packets are played in sequence order");
    assertEquals(PACKETS, r.playedCount());
  }

  @Test
  void latePackets() {
    Random rnd = new Random(3);
    List<Delivery> s = new ArrayList<>();
    int delayedCount = 0;
    for (Delivery d : stream(0)) {
      if (d.seq() > 1010 && rnd.nextDouble() < 0.02) {
        s.add(delayed(d, 400_000_000L)); // beyond the 300 ms maximum delay: always too late
        delayedCount++;
      } else {
        s.add(d);
      }
    }
    Result r = replay(s);
    assertEquals(delayedCount, r.stats().late(), "each late packet is counted late");
    assertTrue(r.stats().lost() >= delayedCount * 0.9 && r.stats().lost() <= delayedCount * 1.1);
    assertTrue(r.stats().underruns() <= PACKETS * 0.005, "underruns " + r.stats());
    assertTrue(r.playedInOrder());
  }

  /**
   * Clock drift up to ±1000 ppm, the range of the oscillators of phones, sound cards and gateways
   * (typically ±20..±100 ppm each end; ±1000 ppm covers cheap hardware with margin). Over 60 s,
   * 1000 ppm is 60 ms: left alone, the time packets wait before they are heard would grow by three
   * packets, or shrink until the buffer runs dry. Resampling packets by a few samples must keep
   * that wait within 40 ms of what it is without drift (the controller's dead band of one packet,
   * plus up to one frame because a resampled packet no longer starts on a frame boundary;
   * uncompensated, -1000 ppm would reach 58 ms and +1000 ppm would run dry), without dropping,
   * concealing or losing anything.
   */
  @ParameterizedTest(name = "{0} ppm")
  @ValueSource(ints = {-1000, -300, -100, 100, 300, 1000})
  void holdsItsDelayAgainstClockDrift(int ppm) {
    Result r = replay(stream(ppm / 1e6));
    assertEquals(0, r.stats().lost(), r.stats().toString());
    assertEquals(0, r.stats().discarded(), r.stats().toString());
    assertEquals(0, r.stats().concealed(), r.stats().toString());
    assertEquals(0, r.stats().underruns(), r.stats().toString());
    assertEquals(PACKETS, r.playedCount());
    assertTrue(r.playedInOrder());
    double worst = worstWaitDeviation(r);
    assertTrue(worst <= 40, "waits stray " + worst + " ms from the drift-free wait");
    if (Math.abs(ppm) >= 1000) {
      assertTrue(r.scaledPackets() > 0, "drift must be compensated");
    }
  }

  /**
   * The largest difference between a packet's wait (arrival to first sample heard) and the wait
   * without drift, once the first 2 s of start-up are over and until the last second.
   */
  private static double worstWaitDeviation(Result r) {
    double ideal = replay(stream(0)).waits().get(200)[1];
    double worst = 0;
    double endSeconds = PACKETS * FRAME_NANOS / 1e9 - 1;
    for (double[] w : r.waits()) {
      if (w[0] >= 2 && w[0] <= endSeconds) {
        worst = Math.max(worst, Math.abs(w[1] - ideal));
      }
    }
    return worst;
  }

  @Test
  void senderClockOnePercentFast() {
    // ten times the drift range above, within what resampling (1.25 %) can absorb
    Result r = replay(stream(-0.01)); // 1% more packets per second than we play
    assertEquals(0, r.stats().lost());
    assertTrue(r.stats().discarded() <= PACKETS * 0.002, "few whole-packet drops " + r.stats());
    assertTrue(r.scaledPackets() >= PACKETS * 0.3, "played faster " + r.scaledPackets());
    assertTrue(r.stats().underruns() <= 2, r.stats().toString());
    assertTrue(r.stats().currentDelayMillis() <= 100, "delay stays bounded " + r.stats());
    assertTrue(worstWaitDeviation(r) <= 60, "within 60 ms " + worstWaitDeviation(r));
  }

  @Test
  void senderClockOnePercentSlow() {
    Result r = replay(stream(0.01));
    assertEquals(0, r.stats().lost());
    assertEquals(0, r.stats().discarded());
    assertTrue(r.stats().underruns() <= PACKETS * 0.002, "underruns " + r.stats());
    assertTrue(r.scaledPackets() >= PACKETS * 0.3, "played slower " + r.scaledPackets());
    assertEquals(PACKETS, r.playedCount());
    assertTrue(worstWaitDeviation(r) <= 60, "within 60 ms " + worstWaitDeviation(r));
  }

  @Test
  void sequenceJump() {
    List<Delivery> s = new ArrayList<>();
    for (Delivery d : stream(0)) {
      int seq = d.seq() >= 2500 ? d.seq() + 20000 : d.seq();
      s.add(new Delivery(d.ssrc(), seq, d.ts(), d.arrivalNanos(), false));
    }
    Result r = replay(s);
    assertEquals(2, r.restarts(), "first packet and the jump");
    assertTrue(r.stats().discarded() <= 1, "one packet on probation " + r.stats());
    assertTrue(r.stats().lost() <= 1, r.stats().toString());
    assertTrue(r.stats().underruns() <= 3, r.stats().toString());
    assertTrue(r.playedCount() >= PACKETS - 4);
  }

  @Test
  void ssrcChange() {
    List<Delivery> s = new ArrayList<>();
    for (Delivery d : stream(0)) {
      if (d.seq() >= 2500) {
        s.add(new Delivery(0xBEEF, d.seq() - 2000, d.ts() + 777_777, d.arrivalNanos(), false));
      } else {
        s.add(d);
      }
    }
    Result r = replay(s);
    assertEquals(2, r.restarts());
    assertTrue(r.stats().discarded() <= 1, r.stats().toString());
    assertEquals(0, r.stats().lost());
    assertTrue(r.stats().underruns() <= 3, r.stats().toString());
    assertTrue(r.playedCount() >= PACKETS - 4);
  }

  @Test
  void discontinuousTransmission() {
    // talk spurts of 1 s separated by 2 s without packets (RFC 3551 §4.1: seq contiguous, ts jumps)
    List<Delivery> s = new ArrayList<>();
    long t = 0;
    long ts = 0;
    int seq = 100;
    for (int spurt = 0; spurt < 10; spurt++) {
      for (int i = 0; i < 50; i++) {
        s.add(new Delivery(7, seq++, ts, t + 10_000_000L, false));
        t += FRAME_NANOS;
        ts += 160;
      }
      t += 2_000_000_000L;
      ts += 16000;
    }
    Result r = replay(s);
    assertEquals(0, r.stats().lost());
    assertEquals(0, r.stats().discarded());
    assertTrue(r.stats().underruns() <= 3 * 10, "at most three empty frames per pause");
    assertEquals(500, r.playedCount());
    assertTrue(r.playedInOrder());
  }

  @Test
  void delaySpikesRaiseTheTarget() {
    // every 5 s a 60 ms delay spike (a scheduling hiccup or a queue on the path)
    List<Delivery> s = new ArrayList<>();
    for (Delivery d : stream(0)) {
      s.add(d.seq() % 250 == 7 ? delayed(d, 60_000_000L) : d);
    }
    Result r = replay(s);
    // only the first spike can find the buffer unprepared; the peak estimate holds the target
    assertTrue(r.stats().late() <= 1, r.stats().toString());
    assertTrue(r.stats().underruns() <= 3, r.stats().toString());
    assertTrue(r.stats().lost() <= 1, r.stats().toString());
    assertTrue(r.stats().targetDelayMillis() >= 60, "target follows the peaks " + r.stats());
  }
}
