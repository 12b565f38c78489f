package org.callchain.media.internal.rtp;

/**
 * Per-source reception state of RFC 3550 Appendix A: extended highest sequence number with
 * wrap-around and probation (A.1), expected and lost packets and the fraction lost since the last
 * report (A.3), and the interarrival jitter estimate (§6.4.1, A.8).
 */
public final class ReceptionStatistics {
  private static final int MAX_DROPOUT = 3000;
  private static final int MAX_MISORDER = 100;
  private static final int MIN_SEQUENTIAL = 2;
  private static final int SEQ_MOD = 1 << 16;

  private final int clockRate;
  private long ssrc = -1;
  private int maxSeq;
  private long cycles;
  private long baseSeq;
  private long badSeq = SEQ_MOD + 1;
  private int probation;
  private long received;
  private long expectedPrior;
  private long receivedPrior;
  private double jitter; // in timestamp units, RFC 3550 A.8
  private long lastTransit;
  private boolean haveTransit;

  public ReceptionStatistics(int clockRate) {
    this.clockRate = clockRate;
  }

  /** The SSRC these statistics describe, or -1 before the first packet. */
  public long ssrc() {
    return ssrc;
  }

  /**
   * Accounts one packet of {@code ssrc}; a packet of another SSRC restarts the statistics. Returns
   * false when A.1 says the packet is not (yet) valid: on probation or a wild sequence jump.
   */
  public boolean update(long packetSsrc, int seq, long timestamp, long arrivalNanos) {
    return update(packetSsrc, seq, timestamp, arrivalNanos, true);
  }

  /**
   * As {@link #update(long, int, long, long)}; {@code timed} false leaves the jitter estimate
   * alone, for packets whose timestamp is not their sampling instant (RFC 4733 §2.5.1.2 events keep
   * the event's start time in every packet).
   */
  public boolean update(
      long packetSsrc, int seq, long timestamp, long arrivalNanos, boolean timed) {
    if (packetSsrc != ssrc) {
      ssrc = packetSsrc;
      initSeq(seq);
      maxSeq = seq - 1;
      probation = MIN_SEQUENTIAL;
      haveTransit = false;
      jitter = 0;
      received = 0;
      expectedPrior = 0;
      receivedPrior = 0;
    }
    if (!updateSeq(seq)) {
      return false;
    }
    if (!timed) {
      return true;
    }
    // A.8: transit time in timestamp units; arrival is converted to the RTP clock.
    long arrival = (long) (arrivalNanos * (clockRate / 1e9));
    long transit = arrival - timestamp;
    if (haveTransit) {
      long d = Math.abs(transit - lastTransit);
      jitter += (d - jitter) / 16.0;
    }
    lastTransit = transit;
    haveTransit = true;
    return true;
  }

  private void initSeq(int seq) {
    baseSeq = seq;
    maxSeq = seq;
    badSeq = SEQ_MOD + 1;
    cycles = 0;
    received = 0;
    receivedPrior = 0;
    expectedPrior = 0;
  }

  /** RFC 3550 A.1 update_seq. */
  private boolean updateSeq(int seq) {
    int udelta = (seq - maxSeq) & 0xFFFF;
    if (probation > 0) {
      if (seq == ((maxSeq + 1) & 0xFFFF)) {
        probation--;
        maxSeq = seq;
        if (probation == 0) {
          initSeq(seq);
          received++;
          return true;
        }
      } else {
        probation = MIN_SEQUENTIAL - 1;
        maxSeq = seq;
      }
      return false;
    } else if (udelta < MAX_DROPOUT) {
      if (seq < maxSeq) {
        cycles += SEQ_MOD;
      }
      maxSeq = seq;
    } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
      if (seq == badSeq) {
        // two sequential packets after a jump: the source restarted (A.1)
        initSeq(seq);
      } else {
        badSeq = (seq + 1) & 0xFFFF;
        return false;
      }
    }
    received++;
    return true;
  }

  public long extendedHighestSequence() {
    return cycles + maxSeq;
  }

  public long received() {
    return received;
  }

  public long expected() {
    return probation > 0 || ssrc < 0 ? 0 : extendedHighestSequence() - baseSeq + 1;
  }

  /** Cumulative packets lost (A.3); duplicates can make it negative, reported as such. */
  public long cumulativeLost() {
    return expected() - received;
  }

  /** The fraction lost since the previous call, as the 8-bit fixed point of §6.4.1 (A.3). */
  public int takeFractionLost() {
    long expected = expected();
    long expectedInterval = expected - expectedPrior;
    expectedPrior = expected;
    long receivedInterval = received - receivedPrior;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    if (expectedInterval == 0 || lostInterval <= 0) {
      return 0;
    }
    return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
  }

  /** The jitter in timestamp units, as an RTCP report block carries it. */
  public long jitterUnits() {
    return (long) jitter;
  }

  public double jitterMillis() {
    return jitter * 1000.0 / clockRate;
  }
}
