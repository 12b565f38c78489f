package org.callchain.media.internal.rtp;

/**
 * A parsed RTP data packet (RFC 3550 §5.1). {@link #parse} applies the header validity checks of
 * RFC 3550 Appendix A.1 that do not need stream state (through {@link RtpReader}, which the receive
 * path uses directly) and says why a packet is rejected.
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

  /** Parses {@code length} bytes of {@code data}; the packet keeps a reference to the array. */
  public static Parsed parse(byte[] data, int length) {
    RtpReader r = new RtpReader();
    Defect defect = r.read(data, length);
    if (defect != null) {
      return new Parsed(null, defect);
    }
    return new Parsed(
        new RtpPacket(
            r.marker(),
            r.payloadType(),
            r.sequenceNumber(),
            r.timestamp(),
            r.ssrc(),
            data,
            r.payloadOffset(),
            r.payloadLength()),
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
