package org.callchain.media.internal.jitter;

/**
 * Holds the jitter buffer's delay at its target against clock drift and target changes by playing
 * decoded packets slightly faster or slower: a packet of n samples is resampled to n − k or n + k
 * samples, k at most n/80 (1.25 %, 2 samples of a 20 ms G.711 packet). The waveform stays
 * continuous (linear interpolation inside the packet, its first and last samples kept), nothing is
 * dropped or concealed, and the pitch moves by at most 1.25 % (about a fifth of a semitone) for the
 * frames that are adjusted. This absorbs a sender clock up to 12,500 ppm off ours; whole-packet
 * drops and concealed inserts remain only for larger, sudden deviations (a target that jumps after
 * a delay spike, a burst after a stall).
 *
 * <p>Two figures steer it (see {@link #observeDelay}): the time by which a packet must be here,
 * which must keep the lateness allowance the target asks for, and the delay a listener hears,
 * smoothed over about eight packets, which must not exceed the target by more than a packet.
 * Between the two nothing changes, so a stream without drift is played untouched (a pure tone keeps
 * its pitch); once started, an adjustment goes on until the delay is back in the middle, half a
 * packet below the target, where playout starts. See docs/adr/0032-playout-ring-and-timer-wheel.md.
 * Not thread-safe: the jitter buffer's lock guards it.
 */
final class PlayoutRate {
  private static final int SUSTAINED_FRAMES = 10;
  private static final double SMOOTHING = 1 / 8.0;

  private double smoothed = Double.NaN;
  private int framesFarUnder;
  private int framesFarOver;
  private int scaleDirection;
  private long scaledPackets;
  private long scaledSamples;

  /** Playout (re)started: forget the old delay. */
  void reset() {
    smoothed = Double.NaN;
    framesFarUnder = 0;
    framesFarOver = 0;
    scaleDirection = 0;
  }

  /**
   * Observes a packet being decoded. {@code deadlineUnits} is how long after the path's earliest
   * arrival time (its transit floor) the packet is decided on: the start of the playout frame that
   * first needs it, when it must be here; a packet up to that much later than the floor is still in
   * time. {@code heardUnits} adds where in that frame its first sample falls: the delay a listener
   * hears, which moves smoothly with drift. Without resampling both are the same.
   */
  void observeDelay(long deadlineUnits, long heardUnits, long targetUnits, long packetUnits) {
    smoothed = Double.isNaN(smoothed) ? heardUnits : smoothed + (heardUnits - smoothed) * SMOOTHING;
    // The low edge, target − packet, is the lateness allowance the target was computed for (4·J or
    // the recent peak): below it, packets that late would miss their frame. Playout starts half a
    // packet below the target, in the middle of the band.
    double middle = targetUnits - packetUnits * 0.5;
    if (smoothed > targetUnits + packetUnits) {
      scaleDirection = -1; // too much delay: play faster
    } else if (deadlineUnits < targetUnits - packetUnits) {
      scaleDirection = 1; // too little margin: play slower
    } else if (scaleDirection < 0 && smoothed < middle + packetUnits * 0.2
        || scaleDirection > 0 && deadlineUnits >= middle) {
      scaleDirection = 0; // back in the middle (hysteresis: keep going until then)
    }
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
    if (scaleDirection == 0 || n < 40) {
      return n;
    }
    scaledPackets++;
    int k = Math.max(1, n / 80);
    scaledSamples += k;
    return n + scaleDirection * k;
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
