package org.callchain.media.internal.jitter;

/**
 * The jitter buffer's estimate of how much delay the path needs: the RFC 3550 §A.8 interarrival
 * jitter J and the recent delay peak (transit above its floor, decaying slowly). The target is one
 * packet plus the larger of 4·J and the peak (at most five packets of it), within the configured
 * bounds. All figures are in RTP timestamp units. Not thread-safe: the jitter buffer's lock guards
 * it.
 */
final class DelayEstimate {
  private final int clockRate;
  private final long minDelayUnits;
  private final long maxDelayUnits;
  private double jitterUnits;
  private long lastTransit;
  private boolean haveTransit;
  private long transitFloor;
  private double peakUnits;

  DelayEstimate(int clockRate, long minDelayUnits, long maxDelayUnits) {
    this.clockRate = clockRate;
    this.minDelayUnits = minDelayUnits;
    this.maxDelayUnits = maxDelayUnits;
  }

  /** A new stream: its transit times have nothing to do with the old one's. */
  void restart() {
    haveTransit = false;
  }

  /** An audio packet of {@code packetUnits} with timestamp {@code extTs} arrived. */
  void arrived(long extTs, long arrivalNanos, long packetUnits) {
    long arrival = (long) (arrivalNanos * (clockRate / 1e9));
    long transit = arrival - extTs;
    if (haveTransit) {
      long d = Math.abs(transit - lastTransit);
      // one packet that jumps a whole talk-spurt gap must not blow the estimate up
      d = Math.min(d, maxDelayUnits);
      jitterUnits += (d - jitterUnits) / 16.0;
      // Delay peaks: how far this packet's transit lies above the recent floor. The floor follows
      // a sender clock slower than ours by creeping up 2 units a packet (up to 12,500 ppm at
      // 20 ms); the peak decays by one packet duration every 500 packets (10 s). Packets later
      // than the maximum delay are lost anyway and do not count.
      transitFloor = Math.min(transitFloor + 2, transit);
      long above = transit - transitFloor;
      peakUnits = Math.max(0, peakUnits - packetUnits / 500.0);
      if (above <= maxDelayUnits && above > peakUnits) {
        peakUnits = above;
      }
    } else {
      transitFloor = transit;
      peakUnits = 0;
    }
    lastTransit = transit;
    haveTransit = true;
  }

  /**
   * How long after the earliest arrival the path allows (its transit floor) a packet with timestamp
   * {@code extTs} is played at {@code playoutNanos}; -1 before any packet arrived.
   */
  long playoutDelayUnits(long extTs, long playoutNanos) {
    if (!haveTransit) {
      return -1;
    }
    long now = (long) (playoutNanos * (clockRate / 1e9));
    return now - extTs - transitFloor;
  }

  long targetUnits(long packetUnits) {
    // a single spike (JIT warm-up, a GC pause) may add at most five packets to the target
    long t = packetUnits + (long) Math.max(4 * jitterUnits, Math.min(peakUnits, 5 * packetUnits));
    return Math.max(minDelayUnits, Math.min(maxDelayUnits, t));
  }

  double jitterUnits() {
    return jitterUnits;
  }
}
