package org.callchain.media.internal.rtp;

/**
 * Reads the header of an RTP data packet in place (RFC 3550 §5.1) and applies the validity checks
 * of RFC 3550 Appendix A.1 that need no stream state. One reader serves every datagram of a receive
 * path, so parsing allocates nothing per packet; {@link RtpPacket#parse} builds a record from it.
 * Not thread-safe.
 */
public final class RtpReader {
  static final int HEADER = 12;

  private boolean marker;
  private int payloadType;
  private int sequenceNumber;
  private long timestamp;
  private long ssrc;
  private int payloadOffset;
  private int payloadLength;

  /**
   * Reads {@code length} bytes of {@code data}; returns why they are not an acceptable RTP packet,
   * or null when they are and the accessors describe them.
   */
  public RtpPacket.Defect read(byte[] data, int length) {
    if (length < HEADER) {
      return RtpPacket.Defect.SHORT_HEADER;
    }
    int b0 = data[0] & 0xFF;
    if ((b0 >> 6) != 2) {
      return RtpPacket.Defect.BAD_VERSION;
    }
    boolean padding = (b0 & 0x20) != 0;
    boolean extension = (b0 & 0x10) != 0;
    int csrcCount = b0 & 0x0F;
    int offset = HEADER + 4 * csrcCount;
    if (offset > length) {
      return RtpPacket.Defect.CSRC_OVERRUN;
    }
    if (extension) {
      // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, then the words.
      if (offset + 4 > length) {
        return RtpPacket.Defect.EXTENSION_OVERRUN;
      }
      int words = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
      offset += 4 + 4 * words;
      if (offset > length) {
        return RtpPacket.Defect.EXTENSION_OVERRUN;
      }
    }
    int end = length;
    if (padding) {
      // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
      int pad = data[length - 1] & 0xFF;
      if (pad == 0 || offset + pad > length) {
        return RtpPacket.Defect.BAD_PADDING;
      }
      end -= pad;
    }
    int b1 = data[1] & 0xFF;
    marker = (b1 & 0x80) != 0;
    payloadType = b1 & 0x7F;
    sequenceNumber = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
    timestamp = RtpPacket.readUint32(data, 4);
    ssrc = RtpPacket.readUint32(data, 8);
    payloadOffset = offset;
    payloadLength = end - offset;
    return null;
  }

  public boolean marker() {
    return marker;
  }

  public int payloadType() {
    return payloadType;
  }

  public int sequenceNumber() {
    return sequenceNumber;
  }

  public long timestamp() {
    return timestamp;
  }

  public long ssrc() {
    return ssrc;
  }

  public int payloadOffset() {
    return payloadOffset;
  }

  public int payloadLength() {
    return payloadLength;
  }
}
