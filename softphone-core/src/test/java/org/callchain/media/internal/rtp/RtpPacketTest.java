package org.callchain.media.internal.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RTP header parsing and the validity checks of RFC 3550 §5.1 and Appendix A.1. */
class RtpPacketTest {

  private static byte[] packet(int b0, int payloadBytes) {
    byte[] p = new byte[12 + payloadBytes];
    RtpPacket.writeHeader(p, true, 0, 0xABCD, 0xDEADBEEFL, 0x01020304L);
    p[0] = (byte) b0;
    for (int i = 0; i < payloadBytes; i++) {
      p[12 + i] = (byte) i;
    }
    return p;
  }

  @Test
  void parsesAWrittenHeader() {
    byte[] p = packet(0x80, 160);
    RtpPacket r = RtpPacket.parse(p, p.length).packet();
    assertTrue(r.marker());
    assertEquals(0, r.payloadType());
    assertEquals(0xABCD, r.sequenceNumber());
    assertEquals(0xDEADBEEFL, r.timestamp());
    assertEquals(0x01020304L, r.ssrc());
    assertEquals(12, r.payloadOffset());
    assertEquals(160, r.payloadLength());
  }

  @Test
  void rejectsShortHeader() {
    assertEquals(RtpPacket.Defect.SHORT_HEADER, RtpPacket.parse(new byte[11], 11).defect());
  }

  @Test
  void rejectsVersionOtherThanTwo() {
    byte[] p = packet(0x40, 10);
    assertEquals(RtpPacket.Defect.BAD_VERSION, RtpPacket.parse(p, p.length).defect());
  }

  @Test
  void rejectsCsrcCountOverrunningThePacket() {
    byte[] p = packet(0x8F, 20); // 15 CSRCs need 60 bytes
    assertEquals(RtpPacket.Defect.CSRC_OVERRUN, RtpPacket.parse(p, p.length).defect());
  }

  @Test
  void skipsCsrcsAndExtension() {
    byte[] p = packet(0x92, 8 + 4 + 4 + 10); // 2 CSRCs, extension of 1 word, 10 payload bytes
    p[12 + 8 + 2] = 0;
    p[12 + 8 + 3] = 1;
    RtpPacket r = RtpPacket.parse(p, p.length).packet();
    assertEquals(12 + 8 + 8, r.payloadOffset());
    assertEquals(10, r.payloadLength());
  }

  @Test
  void rejectsExtensionOverrun() {
    byte[] p = packet(0x90, 8);
    p[14] = 0;
    p[15] = 9; // 9 words announced, 1 present
    assertEquals(RtpPacket.Defect.EXTENSION_OVERRUN, RtpPacket.parse(p, p.length).defect());
  }

  @Test
  void stripsHonestPadding() {
    byte[] p = packet(0xA0, 8);
    p[p.length - 1] = 4;
    RtpPacket r = RtpPacket.parse(p, p.length).packet();
    assertEquals(4, r.payloadLength());
    assertArrayEquals(new byte[] {0, 1, 2, 3}, r.payload());
  }

  @Test
  void rejectsPaddingThatLies() {
    byte[] p = packet(0xA0, 8);
    p[p.length - 1] = 40; // more padding than the packet has
    assertEquals(RtpPacket.Defect.BAD_PADDING, RtpPacket.parse(p, p.length).defect());
    p[p.length - 1] = 0; // RFC 3550 §5.1: the count includes itself, so zero is impossible
    assertEquals(RtpPacket.Defect.BAD_PADDING, RtpPacket.parse(p, p.length).defect());
    assertNull(RtpPacket.parse(p, p.length).packet());
  }
}
