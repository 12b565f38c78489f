package org.callchain.media.internal.rtcp;

import static org.callchain.media.internal.rtp.RtpPacket.readUint32;
import static org.callchain.media.internal.rtp.RtpPacket.writeUint32;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing RTCP compound packets (RFC 3550 §6): sender reports, receiver reports, SDES
 * CNAME and BYE. Parsing applies the compound validity checks of RFC 3550 Appendix A.2.
 */
public final class RtcpPacket {
  public static final int SR = 200;
  public static final int RR = 201;
  public static final int SDES = 202;
  public static final int BYE = 203;

  private RtcpPacket() {}

  /**
   * What a compound packet says.
   *
   * @param senderSsrc the SSRC of the SR/RR at the head of the compound
   * @param senderNtpMiddle the middle 32 bits of the SR's NTP timestamp, or -1 if it was an RR
   * @param blocks the report blocks
   * @param bye whether it carried a BYE
   */
  public record Compound(
      long senderSsrc, long senderNtpMiddle, List<ReportBlock> blocks, boolean bye) {}

  /** Why a datagram is not a valid RTCP compound packet. */
  public static final class MalformedRtcpException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRtcpException(String message) {
      super(message);
    }
  }

  /**
   * Parses a compound packet; A.2: version 2, SR/RR first, padding only in the last, exact lengths.
   */
  public static Compound parse(byte[] data, int length) throws MalformedRtcpException {
    if (length < 8) {
      throw new MalformedRtcpException("shorter than an RTCP header");
    }
    int first = data[1] & 0xFF;
    if (first != SR && first != RR) {
      throw new MalformedRtcpException("compound does not start with SR or RR");
    }
    long senderSsrc = -1;
    long ntpMiddle = -1;
    List<ReportBlock> blocks = new ArrayList<>();
    boolean bye = false;
    int off = 0;
    while (off < length) {
      if (off + 4 > length) {
        throw new MalformedRtcpException("truncated header");
      }
      int b0 = data[off] & 0xFF;
      if ((b0 >> 6) != 2) {
        throw new MalformedRtcpException("bad version " + (b0 >> 6));
      }
      int type = data[off + 1] & 0xFF;
      int words = ((data[off + 2] & 0xFF) << 8) | (data[off + 3] & 0xFF);
      int end = off + 4 + 4 * words;
      if (end > length) {
        throw new MalformedRtcpException("length field overruns the datagram");
      }
      if ((b0 & 0x20) != 0 && end != length) {
        throw new MalformedRtcpException("padding before the last packet");
      }
      int count = b0 & 0x1F;
      if (type == SR || type == RR) {
        int fixed = type == SR ? 28 : 8;
        if (off + fixed + 24 * count > end) {
          throw new MalformedRtcpException("report count overruns the packet");
        }
        if (senderSsrc < 0) {
          senderSsrc = readUint32(data, off + 4);
          if (type == SR) {
            ntpMiddle =
                ((readUint32(data, off + 8) & 0xFFFF) << 16) | (readUint32(data, off + 12) >> 16);
          }
        }
        int b = off + fixed;
        for (int i = 0; i < count; i++, b += 24) {
          int cum =
              ((data[b + 5] & 0xFF) << 16) | ((data[b + 6] & 0xFF) << 8) | (data[b + 7] & 0xFF);
          if ((cum & 0x800000) != 0) {
            cum |= 0xFF000000; // 24-bit two's complement
          }
          blocks.add(
              new ReportBlock(
                  readUint32(data, b),
                  data[b + 4] & 0xFF,
                  cum,
                  readUint32(data, b + 8),
                  readUint32(data, b + 12),
                  readUint32(data, b + 16),
                  readUint32(data, b + 20)));
        }
      } else if (type == BYE) {
        bye = true;
      }
      off = end;
    }
    return new Compound(senderSsrc, ntpMiddle, List.copyOf(blocks), bye);
  }

  /**
   * Builds SR (if {@code senderInfo} is given) or RR, then SDES with the CNAME, then BYE if asked.
   *
   * @param senderInfo NTP msw, NTP lsw, RTP timestamp, packet count, octet count; or null for RR
   */
  public static byte[] compound(
      long ssrc, long[] senderInfo, List<ReportBlock> blocks, String cname, boolean bye) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    int n = Math.min(blocks.size(), 31);
    int fixed = senderInfo != null ? 28 : 8;
    byte[] report = new byte[fixed + 24 * n];
    report[0] = (byte) (0x80 | n);
    report[1] = (byte) (senderInfo != null ? SR : RR);
    setLength(report);
    writeUint32(report, 4, ssrc);
    if (senderInfo != null) {
      for (int i = 0; i < 5; i++) {
        writeUint32(report, 8 + 4 * i, senderInfo[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      ReportBlock r = blocks.get(i);
      int b = fixed + 24 * i;
      writeUint32(report, b, r.ssrc());
      writeUint32(report, b + 4, r.cumulativeLost() & 0xFFFFFFL);
      report[b + 4] = (byte) r.fractionLost();
      writeUint32(report, b + 8, r.extendedHighestSequence());
      writeUint32(report, b + 12, r.jitter());
      writeUint32(report, b + 16, r.lastSr());
      writeUint32(report, b + 20, r.delaySinceLastSr());
    }
    out.writeBytes(report);
    // SDES with one chunk: SSRC, CNAME item, terminating zero octets to a 32-bit boundary (§6.5)
    byte[] name = cname.getBytes(StandardCharsets.UTF_8);
    int nameLen = Math.min(name.length, 255);
    int chunk = 4 + 2 + nameLen + 1;
    chunk = (chunk + 3) & ~3;
    byte[] sdes = new byte[4 + chunk];
    sdes[0] = (byte) 0x81;
    sdes[1] = (byte) SDES;
    setLength(sdes);
    writeUint32(sdes, 4, ssrc);
    sdes[8] = 1; // CNAME
    sdes[9] = (byte) nameLen;
    System.arraycopy(name, 0, sdes, 10, nameLen);
    out.writeBytes(sdes);
    if (bye) {
      byte[] b = new byte[8];
      b[0] = (byte) 0x81;
      b[1] = (byte) BYE;
      setLength(b);
      writeUint32(b, 4, ssrc);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private static void setLength(byte[] packet) {
    int words = packet.length / 4 - 1;
    packet[2] = (byte) (words >> 8);
    packet[3] = (byte) words;
  }
}
