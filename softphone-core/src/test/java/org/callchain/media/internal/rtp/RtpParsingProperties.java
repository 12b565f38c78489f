package org.callchain.media.internal.rtp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.callchain.media.internal.rtcp.RtcpPacket;

/**
 * Whatever arrives on a media port, the parsers answer with a packet whose payload lies inside the
 * datagram or with a reason to drop it; they never throw anything else (RFC 3550 A.1/A.2 checks).
 */
class RtpParsingProperties {

  @Property(tries = 2000)
  void rtpParserNeverReadsOutsideTheDatagram(@ForAll @Size(max = 80) byte[] data) {
    RtpPacket.Parsed p = RtpPacket.parse(data, data.length);
    if (p.packet() == null) {
      if (p.defect() == null) {
        throw new AssertionError("a rejected datagram must say why");
      }
      return;
    }
    RtpPacket r = p.packet();
    if (r.payloadOffset() < 12
        || r.payloadLength() < 0
        || r.payloadOffset() + r.payloadLength() > data.length) {
      throw new AssertionError("payload outside the datagram: " + r);
    }
  }

  @Property(tries = 2000)
  void rtpParserAcceptsVersionTwoHeadersWithAnyBytesAfter(
      @ForAll @Size(min = 12, max = 80) byte[] data) {
    data[0] = (byte) 0x80; // version 2, no padding, extension or CSRCs
    RtpPacket.Parsed p = RtpPacket.parse(data, data.length);
    if (p.packet() == null || p.packet().payloadLength() != data.length - 12) {
      throw new AssertionError("a plain header must parse: " + p);
    }
  }

  @Property(tries = 2000)
  void rtcpParserOnlyThrowsItsOwnException(@ForAll @Size(max = 120) byte[] data) {
    try {
      RtcpPacket.parse(data, data.length);
    } catch (RtcpPacket.MalformedRtcpException expected) {
      // dropped and counted by the session
    }
  }
}
