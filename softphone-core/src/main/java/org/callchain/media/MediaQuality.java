package org.callchain.media;

import java.util.Locale;
import java.util.Objects;

/**
 * The quality figures of one call leg, from RTP counters and RTCP reports (RFC 3550 §6.4).
 *
 * @param packetsSent RTP packets sent
 * @param packetsReceived RTP packets received and accepted
 * @param packetsLost packets the receiver counted as lost (RFC 3550 §6.4.1 cumulative number)
 * @param jitterMillis interarrival jitter, RFC 3550 §6.4.1, in milliseconds
 * @param roundTripMillis round-trip time from RTCP, or -1 when not yet known
 * @param mos the estimated mean opinion score (1..4.5), or 0 when nothing was received
 * @param packetsRejected RTP/RTCP packets dropped as malformed, from an unknown source or with an
 *     unexpected payload type
 * @param jitterBuffer what the jitter buffer did
 */
public record MediaQuality(
    long packetsSent,
    long packetsReceived,
    long packetsLost,
    double jitterMillis,
    double roundTripMillis,
    double mos,
    long packetsRejected,
    JitterStatistics jitterBuffer) {

  public static final MediaQuality NONE = new MediaQuality(0, 0, 0, 0, -1, 0);

  public MediaQuality {
    Objects.requireNonNull(jitterBuffer, "jitterBuffer");
  }

  /** The figures a leg without a jitter buffer (or a test double) reports. */
  public MediaQuality(
      long packetsSent,
      long packetsReceived,
      long packetsLost,
      double jitterMillis,
      double roundTripMillis,
      double mos) {
    this(
        packetsSent,
        packetsReceived,
        packetsLost,
        jitterMillis,
        roundTripMillis,
        mos,
        0,
        JitterStatistics.NONE);
  }

  /** Fraction of the expected packets that were lost, 0..1. */
  public double lossFraction() {
    long expected = packetsReceived + packetsLost;
    return expected <= 0 ? 0 : Math.max(0, (double) packetsLost / expected);
  }

  /**
   * One line for people, as {@code callchain call} prints after a call, for example {@code "sent
   * 1500, received 1498, lost 2 (0.13%), jitter 1.2 ms, RTT 35.0 ms, MOS 4.38, jitter buffer 60 ms,
   * concealed 2, discarded 0"}.
   */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "sent %d, received %d, lost %d (%.2f%%), jitter %.1f ms, RTT %s, MOS %.2f,"
            + " jitter buffer %.0f ms, concealed %d, discarded %d",
        packetsSent,
        packetsReceived,
        packetsLost,
        100 * lossFraction(),
        jitterMillis,
        roundTripMillis < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f ms", roundTripMillis),
        mos,
        jitterBuffer.currentDelayMillis(),
        jitterBuffer.concealed(),
        jitterBuffer.discarded());
  }
}
