package org.callchain.ledger;

/**
 * Media quality over the whole call, from RTP/RTCP (RFC 3550 §6.4): packet counts, packets lost,
 * interarrival jitter in microseconds, and an E-model MOS estimate in hundredths (e.g. 4.21 is 421;
 * 0 when unknown). Integers only, so the canonical encoding has no floating point.
 */
public record CallQuality(
    long packetsSent, long packetsReceived, long packetsLost, long jitterMicros, int mosCenti) {
  public CallQuality {
    if (packetsSent < 0 || packetsReceived < 0 || packetsLost < 0 || jitterMicros < 0) {
      throw new IllegalArgumentException("quality counters cannot be negative");
    }
    if (mosCenti != 0 && (mosCenti < 100 || mosCenti > 500)) {
      throw new IllegalArgumentException("MOS must be 1.00..5.00 (100..500) or 0, got " + mosCenti);
    }
  }

  /** No media was exchanged or measured. */
  public static final CallQuality NONE = new CallQuality(0, 0, 0, 0, 0);
}
