package org.callchain.media;

/**
 * The quality figures of one call leg, from RTP counters and RTCP reports (RFC 3550 §6.4).
 *
 * @param packetsSent RTP packets sent
 * @param packetsReceived RTP packets received and accepted
 * @param packetsLost packets the receiver counted as lost
 * @param jitterMillis interarrival jitter, RFC 3550 §6.4.1, in milliseconds
 * @param roundTripMillis round-trip time from RTCP, or -1 when not yet known
 * @param mos the estimated mean opinion score (1..4.5), or 0 when nothing was received
 */
public record MediaQuality(
    long packetsSent,
    long packetsReceived,
    long packetsLost,
    double jitterMillis,
    double roundTripMillis,
    double mos) {

  public static final MediaQuality NONE = new MediaQuality(0, 0, 0, 0, -1, 0);
}
