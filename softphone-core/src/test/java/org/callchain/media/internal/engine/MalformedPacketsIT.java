package org.callchain.media.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaSessionOptions;
import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.rtcp.RtcpPacket;
import org.callchain.media.internal.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

/**
 * Malformed RTP and RTCP (RFC 3550 A.1/A.2 checks) and packets from unknown sources are dropped and
 * counted by reason, while the call keeps receiving and sending.
 */
class MalformedPacketsIT {

  @Test
  void badPacketsAreDroppedAndCountedWhileTheCallGoesOn() throws Exception {
    MediaConfig config = MediaConfig.builder().portRange(40000, 49999).codecs("PCMU").build();
    try (RtpMediaEngine engine = new RtpMediaEngine(config);
        RawPeer peer = new RawPeer();
        RawPeer stranger = new RawPeer()) {
      RtpMediaSession s = (RtpMediaSession) engine.open(new MediaSessionOptions("bad", false));
      s.apply(
          new MediaDescription(
              peer.address(),
              PayloadFormat.PCMU,
              Optional.of(PayloadFormat.TELEPHONE_EVENT),
              20,
              MediaDirection.SENDRECV));
      InetSocketAddress rtp = s.localRtpAddress();
      InetSocketAddress rtcp = new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
      long ssrc = 0x5555;
      int seq = 0;
      // the peer's stream first, so that the session knows its SSRC before any RTCP arrives
      for (; seq < 5; seq++) {
        peer.send(RawPeer.pcmu(seq, 160L * seq, ssrc), rtp);
      }
      Thread.sleep(100);
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 10; i++, seq++) {
          peer.send(RawPeer.pcmu(seq, 160L * seq, ssrc), rtp);
        }
        peer.send(new byte[7], rtp); // short header
        byte[] v1 = RawPeer.pcmu(seq, 0, ssrc);
        v1[0] = 0x40; // version 1
        peer.send(v1, rtp);
        byte[] pad = RawPeer.pcmu(seq, 0, ssrc);
        pad[0] = (byte) 0xA0;
        pad[pad.length - 1] = (byte) 250; // padding longer than the packet
        peer.send(pad, rtp);
        byte[] csrc = new byte[20];
        RtpPacket.writeHeader(csrc, false, 0, seq, 0, ssrc);
        csrc[0] = (byte) 0x8F; // 15 CSRCs in 20 bytes
        peer.send(csrc, rtp);
        stranger.send(RawPeer.pcmu(seq, 160L * seq, 0x6666), rtp); // unknown source address
        byte[] pt = RawPeer.pcmu(seq, 0, ssrc);
        pt[1] = 96; // a payload type nobody negotiated
        peer.send(pt, rtp);
        peer.send(new byte[] {(byte) 0x80, (byte) 200, 0, 50}, rtcp); // RTCP length overrun
        peer.send(RtcpPacket.compound(0x7777, null, List.of(), "x", false), rtcp); // unknown SSRC
        Thread.sleep(100);
      }
      List<RtpPacket> fromSession = peer.receive(300);
      MediaOutcome outcome = s.finish();

      assertEquals(5, s.rejected("SHORT_HEADER"));
      assertEquals(5, s.rejected("BAD_VERSION"));
      assertEquals(5, s.rejected("BAD_PADDING"));
      assertEquals(5, s.rejected("CSRC_OVERRUN"));
      assertEquals(5, s.rejected("UNKNOWN_SOURCE"));
      assertEquals(5, s.rejected("UNEXPECTED_PAYLOAD_TYPE"));
      assertEquals(5, s.rejected("RTCP_MALFORMED"));
      assertEquals(5, s.rejected("RTCP_UNKNOWN_SOURCE"));
      assertEquals(40, outcome.quality().packetsRejected());
      assertEquals(55, outcome.quality().packetsReceived(), "every good packet was taken");
      assertEquals(0, outcome.quality().packetsLost());
      assertTrue(fromSession.size() >= 10, "the session kept sending: " + fromSession.size());
      assertTrue(fromSession.stream().allMatch(p -> p.payloadType() == 0));
    }
  }
}
