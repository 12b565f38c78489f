package org.callchain.media.internal.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RTCP compounds of RFC 3550 §6 and the validity checks of Appendix A.2. */
class RtcpPacketTest {
  private static final ReportBlock BLOCK =
      new ReportBlock(0xCAFEL, 25, -3, 70000, 42, 0x12345678L, 0x10000);

  @Test
  void senderReportRoundTrips() throws Exception {
    long ntp = NtpTime.fromUnixMillis(1_700_000_000_123L);
    byte[] p =
        RtcpPacket.compound(
            0xBEEFL,
            new long[] {ntp >>> 32, ntp & 0xFFFFFFFFL, 1234, 50, 8000},
            List.of(BLOCK),
            "x@y",
            true);
    assertEquals(0, p.length % 4);
    RtcpPacket.Compound c = RtcpPacket.parse(p, p.length);
    assertEquals(0xBEEFL, c.senderSsrc());
    assertEquals(NtpTime.middle(ntp), c.senderNtpMiddle());
    assertEquals(List.of(BLOCK), c.blocks());
    assertTrue(c.bye());
  }

  @Test
  void receiverReportHasNoNtpTime() throws Exception {
    byte[] p = RtcpPacket.compound(7, null, List.of(), "cname", false);
    RtcpPacket.Compound c = RtcpPacket.parse(p, p.length);
    assertEquals(-1, c.senderNtpMiddle());
    assertEquals(7, c.senderSsrc());
  }

  @Test
  void rejectsMalformedCompounds() {
    byte[] good = RtcpPacket.compound(7, null, List.of(BLOCK), "cname", false);
    assertThrows(RtcpPacket.MalformedRtcpException.class, () -> RtcpPacket.parse(good, 6));
    byte[] badVersion = good.clone();
    badVersion[0] = (byte) (badVersion[0] & 0x3F);
    assertThrows(
        RtcpPacket.MalformedRtcpException.class,
        () -> RtcpPacket.parse(badVersion, badVersion.length));
    byte[] overrun = good.clone();
    overrun[3] = (byte) 60; // length field beyond the datagram
    assertThrows(
        RtcpPacket.MalformedRtcpException.class, () -> RtcpPacket.parse(overrun, overrun.length));
    byte[] notReportFirst = good.clone();
    notReportFirst[1] = (byte) RtcpPacket.SDES;
    assertThrows(
        RtcpPacket.MalformedRtcpException.class,
        () -> RtcpPacket.parse(notReportFirst, notReportFirst.length));
    byte[] countOverrun = good.clone();
    countOverrun[0] = (byte) 0x85; // five blocks announced, one present
    assertThrows(
        RtcpPacket.MalformedRtcpException.class,
        () -> RtcpPacket.parse(countOverrun, countOverrun.length));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
    assertThrows(
        RtcpPacket.MalformedRtcpException.class,
        () -> RtcpPacket.parse(truncated, truncated.length));
  }

  @Test
  void roundTripFromLsrAndDlsr() {
    // RFC 3550 §6.4.1 example: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
    // DLSR = 0x0005:4000 (5.250 s): RTT = 6.125 s
    double rtt = NtpTime.roundTripMillis(0xb7108000L, 0xb7052000L, 0x00054000L);
    assertEquals(6125, rtt, 0.01);
    assertEquals(-1, NtpTime.roundTripMillis(0xb7108000L, 0, 0), 0);
  }
}
