package org.callchain.media.internal.rtcp;

/**
 * NTP timestamps for sender reports (RFC 3550 §4): seconds since 1900 in the upper 32 bits and the
 * binary fraction in the lower 32; LSR/DLSR use the middle 32 bits (1/65536 s units).
 */
public final class NtpTime {
  private static final long UNIX_TO_NTP_SECONDS = 2_208_988_800L;

  private NtpTime() {}

  /** The 64-bit NTP timestamp of a wall-clock time in Unix milliseconds. */
  public static long fromUnixMillis(long unixMillis) {
    long seconds = unixMillis / 1000 + UNIX_TO_NTP_SECONDS;
    long fraction = ((unixMillis % 1000) << 32) / 1000;
    return (seconds << 32) | fraction;
  }

  /** The middle 32 bits, the compact form RTCP uses for LSR, DLSR and round-trip arithmetic. */
  public static long middle(long ntp) {
    return (ntp >>> 16) & 0xFFFFFFFFL;
  }

  /**
   * Round-trip time of RFC 3550 §6.4.1: A − LSR − DLSR, all in 1/65536 s, in milliseconds; -1 if
   * the report carries no LSR or the result is clearly negative (clock trouble); 0 when it is
   * negative by less than 10 ms of clock granularity.
   */
  public static double roundTripMillis(long arrivalMiddle, long lsr, long dlsr) {
    if (lsr == 0) {
      return -1;
    }
    long rtt = (arrivalMiddle - lsr - dlsr) & 0xFFFFFFFFL;
    if (rtt > 0x7FFFFFFFL) {
      // slightly negative: clocks of millisecond resolution on a sub-millisecond path
      return rtt > 0xFFFFFFFFL - 655 ? 0 : -1;
    }
    return rtt * 1000.0 / 65536.0;
  }
}
