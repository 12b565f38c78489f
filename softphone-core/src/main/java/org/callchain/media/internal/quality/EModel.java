package org.callchain.media.internal.quality;

/**
 * A simplified ITU-T G.107 E-model: transmission rating R from delay and packet loss, mapped to an
 * estimated MOS (conversational quality, narrowband scale).
 *
 * <ul>
 *   <li>All parameters other than delay and loss keep their G.107 default values, for which {@code
 *       R = Ro − Is = 93.2} (G.107 §7.1, Table 3 defaults) and the advantage factor A = 0.
 *   <li>Delay impairment Id: instead of the full Idte/Idle/Idd terms of G.107 §7.4 we use the
 *       widely used fit {@code Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)} of Cole and Rosenbluth
 *       ("Voice over IP performance monitoring", ACM CCR 31(2), 2001), where d is the one-way
 *       mouth-to-ear delay in ms and H the step function; it tracks G.107's Idd with echo-free
 *       defaults.
 *   <li>Equipment impairment with packet loss, G.107 eq. (7-29): {@code Ie,eff = Ie + (95 − Ie) ·
 *       Ppl / (Ppl / BurstR + Bpl)}, with Ppl the loss in percent and BurstR = 1 (random loss). Ie
 *       and Bpl come from ITU-T G.113 Appendix I: G.711 with packet-loss concealment Ie = 0, Bpl =
 *       25.1. For Opus G.113 has no narrowband value; we assume Ie = 0, Bpl = 25.1 too, which
 *       understates Opus' robustness with in-band FEC.
 *   <li>R to MOS, G.107 Annex B eq. (B-4): {@code MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶}
 *       for 0 &lt; R &lt; 100; 1 below, 4.5 above.
 * </ul>
 */
public final class EModel {
  private static final double R0_MINUS_IS = 93.2;
  private static final double IE = 0;
  private static final double BPL = 25.1;
  private static final double BURST_R = 1;

  private EModel() {}

  /**
   * @param oneWayDelayMillis mouth-to-ear delay: network, jitter buffer, packetization
   * @param lossPercent packets lost or discarded as late, in percent of the expected packets
   */
  public static double rating(double oneWayDelayMillis, double lossPercent) {
    double d = Math.max(0, oneWayDelayMillis);
    double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
    double ppl = Math.max(0, Math.min(100, lossPercent));
    double ieEff = IE + (95 - IE) * ppl / (ppl / BURST_R + BPL);
    return R0_MINUS_IS - id - ieEff;
  }

  public static double mos(double rating) {
    if (rating <= 0) {
      return 1;
    }
    if (rating >= 100) {
      return 4.5;
    }
    // The cubic of (B-4) dips just under 1 for 0 < R < ~6.5; MOS is 1 at worst (G.107 Figure B.1).
    return Math.max(1, 1 + 0.035 * rating + rating * (rating - 60) * (100 - rating) * 7e-6);
  }

  public static double mos(double oneWayDelayMillis, double lossPercent) {
    return mos(rating(oneWayDelayMillis, lossPercent));
  }
}
