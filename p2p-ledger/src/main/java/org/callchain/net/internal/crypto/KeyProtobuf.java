package org.callchain.net.internal.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.callchain.net.Varint;

/**
 * The libp2p {@code PublicKey}/{@code PrivateKey} protobuf (peer-ids spec, "Keys"). Written by hand
 * because peer ids hash these exact bytes and the spec requires the canonical encoding: field 1
 * (Type, varint) then field 2 (Data, bytes), nothing else. The reader is strict the same way, so a
 * key has exactly one encoding and therefore exactly one peer id.
 */
public final class KeyProtobuf {
  /** A parsed key message. */
  public record Message(int type, byte[] data) {}

  private static final int MAX_KEY_BYTES = 4096;

  private KeyProtobuf() {}

  public static byte[] encode(int type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 6);
    out.write(0x08);
    Varint.write(type, out);
    out.write(0x12);
    Varint.write(data.length, out);
    out.write(data, 0, data.length);
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a canonical key message
   */
  public static Message decode(byte[] encoded) {
    ByteBuffer in = ByteBuffer.wrap(encoded);
    if (!in.hasRemaining() || in.get() != 0x08) {
      throw new IllegalArgumentException("key protobuf must start with field 1 (Type)");
    }
    long type = Varint.read(in);
    if (type < 0 || type > 3) {
      throw new IllegalArgumentException("unknown key type");
    }
    if (!in.hasRemaining() || in.get() != 0x12) {
      throw new IllegalArgumentException("key protobuf must continue with field 2 (Data)");
    }
    long length = Varint.read(in);
    if (length < 0 || length > MAX_KEY_BYTES || length != in.remaining()) {
      throw new IllegalArgumentException("key protobuf Data length does not match");
    }
    byte[] data = new byte[(int) length];
    in.get(data);
    return new Message((int) type, data);
  }
}
