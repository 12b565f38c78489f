package org.callchain.media.internal.jitter;

/**
 * Holds the jitter buffer's delay at its target against clock drift by playing decoded packets
 * slightly faster or slower: a packet of n samples is resampled to n − k or n + k samples. Normally
 * the speed changes by 0.2 % (fractions of a sample are carried from packet to packet, so one G.711
 * packet in about three is played one sample shorter or longer); only a deviation beyond a packet
 * plays at 1.25 %. The waveform stays continuous (linear interpolation inside the packet, its first
 * and last samples kept), nothing is dropped or concealed. This absorbs a sender clock up to 2,000
 * ppm off ours inaudibly and up to 12,500 ppm at all. A large sudden deficit (a target that jumps
 * after a delay spike) inserts a concealed frame at once, and a large sustained excess (a burst
 * after a stall) drops a packet, because resampling would take seconds to mend them.
 *
 * <p>Two figures steer it (see {@link #observeDelay}): the time by which a packet must be here (the
 * lateness allowance the target asks for) and the delay a listener hears, smoothed over about eight
 * packets. A stream without drift stays inside the dead band and is played untouched, so a pure
 * tone keeps its pitch. See docs/adr/0032-playout-ring-and-timer-wheel.md. Not thread-safe: the
 * jitter buffer's lock guards it.
 */
final class PlayoutRate {
  private static final int SUSTAINED_FRAMES = 10;
  private static final double SMOOTHING = 1 / 8.0;

  /** 2,000 ppm: twice the drift we design for, a pitch change no one hears (3.5 cents). */
  private static final double GENTLE_RATE = 0.002;

  /** 1.25 %: for deviations beyond a packet (drift far beyond specification). */
  private static final double MAX_RATE = 1 / 80.0;

  private double smoothed = Double.NaN;
  private int framesFarUnder;
  private int framesFarOver;

  /** Playout speed change, as a fraction: positive plays slower (more samples), negative faster. */
  private double rate;

  private double carry;
  private long scaledPackets;
  private long scaledSamples;

  /** Playout (re)started: forget the old delay. */
  void reset() {
    smoothed = Double.NaN;
    framesFarUnder = 0;
    framesFarOver = 0;
    rate = 0;
    carry = 0;
  }

  /**
   * Observes a packet being decoded. {@code deadlineUnits} is how long after the path's earliest
   * arrival time (its transit floor) the packet is decided on: the start of the playout frame that
   * first needs it, when it must be here; a packet up to that much later than the floor is still in
   * time. {@code heardUnits} adds where in that frame its first sample falls: the delay a listener
   * hears, which moves smoothly with drift. Without resampling both are the same. Returns −1 when
   * the margin is so far below the target (it jumped after a delay spike) that a concealed frame
   * should be inserted now, 0 otherwise.
   */
  int observeDelay(long deadlineUnits, long heardUnits, long targetUnits, long packetUnits) {
    if (deadlineUnits < targetUnits - 2 * packetUnits) {
      // more than a packet short of the lateness allowance the target was computed for (4·J or
      // the recent peak): resampling would take seconds, so make room at once
      smoothed = Double.NaN;
      rate = 0;
      return -1;
    }
    smoothed = Double.isNaN(smoothed) ? heardUnits : smoothed + (heardUnits - smoothed) * SMOOTHING;
    // The low edge, target − packet, is the lateness allowance itself: below it, packets that late
    // would miss their frame. Playout starts half a packet below the target, in the middle.
    double low = targetUnits - packetUnits;
    double high = targetUnits + packetUnits * 0.5;
    double middle = targetUnits - packetUnits * 0.5;
    if (smoothed > high) {
      rate = smoothed > high + packetUnits ? -MAX_RATE : -GENTLE_RATE; // play faster
    } else if (deadlineUnits < low + packetUnits / 4) {
      // play slower: gently while approaching the edge, at full rate once past it
      rate = deadlineUnits < low ? MAX_RATE : GENTLE_RATE;
    } else if (rate < 0 && smoothed < middle + packetUnits * 0.2
        || rate > 0 && deadlineUnits >= middle) {
      rate = 0; // back in the middle (hysteresis: keep going until then)
      carry = 0;
    }
    return 0;
  }

  /**
   * Observes the media the buffer held when a playout frame was due (what it holds now plus the
   * frame just taken). Returns +1 when a whole packet should be dropped now, −1 when a concealed
   * frame should be inserted now (the held media has been more than three packets above or one
   * below the target for ten frames: more than resampling can mend soon), 0 otherwise.
   */
  int observeHeld(long heldUnits, long targetUnits, long packetUnits) {
    framesFarOver = heldUnits > targetUnits + 3 * packetUnits ? framesFarOver + 1 : 0;
    framesFarUnder = heldUnits + packetUnits < targetUnits ? framesFarUnder + 1 : 0;
    if (framesFarOver >= SUSTAINED_FRAMES) {
      framesFarOver = 0;
      smoothed = Double.NaN;
      return 1;
    }
    if (framesFarUnder >= SUSTAINED_FRAMES) {
      framesFarUnder = 0;
      smoothed = Double.NaN;
      return -1;
    }
    return 0;
  }

  /** How many samples the next decoded packet of {@code n} samples is played as. */
  int playedLength(int n) {
    if (rate == 0 || n < 80) {
      return n;
    }
    carry += rate * n;
    int k = (int) carry; // whole samples owed so far, toward zero
    k = Math.max(-n / 80, Math.min(n / 80, k));
    carry -= k;
    if (k != 0) {
      scaledPackets++;
      scaledSamples += Math.abs(k);
    }
    return n + k;
  }

  /** Packets played resampled so far, and the samples they gained or lost in total. */
  long scaledPackets() {
    return scaledPackets;
  }

  long scaledSamples() {
    return scaledSamples;
  }

  /**
   * Resamples {@code src[0..n)} to {@code dst[0..m)} by linear interpolation, keeping the first and
   * the last sample, so consecutive packets join without a step.
   */
  static void resample(short[] src, int n, short[] dst, int m) {
    if (m == n) {
      System.arraycopy(src, 0, dst, 0, n);
      return;
    }
    // position of output j in the input: j·(n−1)/(m−1), in 16.16 fixed point
    long step = (((long) (n - 1)) << 16) / (m - 1);
    long pos = 0;
    for (int j = 0; j < m; j++) {
      int i = (int) (pos >>> 16);
      int frac = (int) (pos & 0xFFFF);
      int a = src[i];
      int b = i + 1 < n ? src[i + 1] : a;
      dst[j] = (short) (a + (((b - a) * frac) >> 16));
      pos += step;
    }
    dst[m - 1] = src[n - 1];
  }
}
