package org.callchain.net.internal.yamux;

import io.netty.buffer.ByteBuf;

/**
 * The 12-byte yamux header (spec, "Framing"): version (0), type, flags, stream id and length, all
 * big-endian. For Data frames the length counts the payload that follows; for Window Update it is
 * the window delta, for Ping the opaque value, for Go Away the error code.
 */
public record YamuxFrame(int type, int flags, int streamId, long length) {
  public static final int HEADER_LENGTH = 12;
  public static final int VERSION = 0;

  public static final int TYPE_DATA = 0;
  public static final int TYPE_WINDOW_UPDATE = 1;
  public static final int TYPE_PING = 2;
  public static final int TYPE_GO_AWAY = 3;

  public static final int FLAG_SYN = 1;
  public static final int FLAG_ACK = 2;
  public static final int FLAG_FIN = 4;
  public static final int FLAG_RST = 8;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Writes the header. */
  public void writeHeader(ByteBuf out) {
    out.writeByte(VERSION);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt(streamId);
    out.writeInt((int) length);
  }

  /**
   * Reads a header at the reader index, or returns null if fewer than 12 bytes are readable.
   *
   * @throws YamuxException on an unknown version or type
   */
  public static YamuxFrame readHeader(ByteBuf in) throws YamuxException {
    if (in.readableBytes() < HEADER_LENGTH) {
      return null;
    }
    int version = in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedShort();
    int streamId = in.readInt();
    long length = in.readUnsignedInt();
    if (version != VERSION) {
      throw new YamuxException("unsupported yamux version " + version);
    }
    if (type > TYPE_GO_AWAY) {
      throw new YamuxException("unknown yamux frame type " + type);
    }
    return new YamuxFrame(type, flags, streamId, length);
  }
}
