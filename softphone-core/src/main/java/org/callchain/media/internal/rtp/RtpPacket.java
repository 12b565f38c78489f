package org.callchain.media.internal.rtp;

/**
 * A parsed RTP data packet (RFC 3550 §5.1). {@link #parse} applies the header validity checks of
 * RFC 3550 Appendix A.1 that do not need stream state and says why a packet is rejected.
 *
 * @param payloadOffset where the payload starts in the datagram
 * @param payloadLength payload bytes, without padding
 */
public record RtpPacket(
    boolean marker,
    int payloadType,
    int sequenceNumber,
    long timestamp,
    long ssrc,
    byte[] data,
    int payloadOffset,
    int payloadLength) {

  /** Why a datagram is not an acceptable RTP packet. */
  public enum Defect {
    SHORT_HEADER,
    BAD_VERSION,
    CSRC_OVERRUN,
    EXTENSION_OVERRUN,
    BAD_PADDING
  }

  /** The outcome of parsing: exactly one of packet and defect is non-null. */
  public record Parsed(RtpPacket packet, Defect defect) {}

  static final int HEADER = 12;

  /** Parses {@code length} bytes of {@code data}; the packet keeps a reference to the array. */
  public static Parsed parse(byte[] data, int length) {
    if (length < HEADER) {
      return new Parsed(null, Defect.SHORT_HEADER);
    }
    int b0 = data[0] & 0xFF;
    if ((b0 >> 6) != 2) {
      return new Parsed(null, Defect.BAD_VERSION);
    }
    boolean padding = (b0 & 0x20) != 0;
    boolean extension = (b0 & 0x10) != 0;
    int csrcCount = b0 & 0x0F;
    int offset = HEADER + 4 * csrcCount;
    if (offset > length) {
      return new Parsed(null, Defect.CSRC_OVERRUN);
    }
    if (extension) {
      // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, then the words.
      if (offset + 4 > length) {
        return new Parsed(null, Defect.EXTENSION_OVERRUN);
      }
      int words = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
      offset += 4 + 4 * words;
      if (offset > length) {
        return new Parsed(null, Defect.EXTENSION_OVERRUN);
      }
    }
    int end = length;
    if (padding) {
      // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
      int pad = data[length - 1] & 0xFF;
      if (pad == 0 || offset + pad > length) {
        return new Parsed(null, Defect.BAD_PADDING);
      }
      end -= pad;
    }
    int b1 = data[1] & 0xFF;
    int seq = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
    long ts = readUint32(data, 4);
    long ssrc = readUint32(data, 8);
    return new Parsed(
        new RtpPacket((b1 & 0x80) != 0, b1 & 0x7F, seq, ts, ssrc, data, offset, end - offset),
        null);
  }

  /**
   * Writes a 12-byte header without CSRCs, extension or padding into {@code out}; the payload
   * follows at offset 12.
   */
  public static void writeHeader(
      byte[] out, boolean marker, int payloadType, int seq, long timestamp, long ssrc) {
    out[0] = (byte) 0x80;
    out[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
    out[2] = (byte) (seq >> 8);
    out[3] = (byte) seq;
    writeUint32(out, 4, timestamp);
    writeUint32(out, 8, ssrc);
  }

  public static long readUint32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  public static void writeUint32(byte[] b, int off, long v) {
    b[off] = (byte) (v >> 24);
    b[off + 1] = (byte) (v >> 16);
    b[off + 2] = (byte) (v >> 8);
    b[off + 3] = (byte) v;
  }

  /** A copy of the payload bytes. */
  public byte[] payload() {
    byte[] p = new byte[payloadLength];
    System.arraycopy(data, payloadOffset, p, 0, payloadLength);
    return p;
  }
}
