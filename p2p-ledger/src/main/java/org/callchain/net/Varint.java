package org.callchain.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as multiformats defines them (github.com/multiformats/unsigned-varint):
 * at most 9 bytes (63 bits) and minimally encoded. Every length prefix in libp2p uses them.
 */
public final class Varint {
  /** The longest varint multiformats allows. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** Appends the varint encoding of a non-negative value. */
  public static void write(long value, ByteArrayOutputStream out) {
    if (value < 0) {
      throw new IllegalArgumentException("varints are unsigned: " + value);
    }
    while (value >= 0x80) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** The varint encoding of a non-negative value. */
  public static byte[] encode(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    write(value, out);
    return out.toByteArray();
  }

  /** The number of bytes {@link #encode} produces. */
  public static int length(long value) {
    int n = 1;
    while (value >= 0x80) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /**
   * Reads a varint at the buffer's position and advances it; returns -1 and leaves the position
   * unchanged when the buffer ends before the varint does.
   *
   * @throws IllegalArgumentException if the varint is longer than 9 bytes or not minimal
   */
  public static long read(ByteBuffer in) {
    int start = in.position();
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (!in.hasRemaining()) {
        in.position(start);
        return -1;
      }
      int b = in.get() & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint is not minimally encoded");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }
}
