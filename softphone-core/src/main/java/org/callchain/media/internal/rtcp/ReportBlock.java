package org.callchain.media.internal.rtcp;

/**
 * One reception report block of an SR or RR (RFC 3550 §6.4.1).
 *
 * @param ssrc the source this block reports on
 * @param fractionLost 8-bit fixed point fraction lost since the previous report
 * @param cumulativeLost 24-bit signed cumulative number of packets lost
 * @param extendedHighestSequence the extended highest sequence number received
 * @param jitter interarrival jitter in timestamp units
 * @param lastSr middle 32 bits of the NTP timestamp of the last SR received (LSR), or 0
 * @param delaySinceLastSr delay since that SR in 1/65536 s (DLSR), or 0
 */
public record ReportBlock(
    long ssrc,
    int fractionLost,
    int cumulativeLost,
    long extendedHighestSequence,
    long jitter,
    long lastSr,
    long delaySinceLastSr) {}
