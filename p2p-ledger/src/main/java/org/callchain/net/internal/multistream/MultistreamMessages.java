package org.callchain.net.internal.multistream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.callchain.net.Varint;

/**
 * The wire form of multistream-select messages: an unsigned varint length, then the UTF-8 text and
 * a trailing {@code '\n'} (counted in the length). Protocol ids are short, so a message longer than
 * {@link #MAX_MESSAGE} means the peer is not speaking multistream and the negotiation fails.
 */
public final class MultistreamMessages {
  /** Largest message we accept, newline included (libp2p ids are well under this). */
  public static final int MAX_MESSAGE = 1024;

  private MultistreamMessages() {}

  public static byte[] encode(String text) {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 2);
    Varint.write(body.length, out);
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  /**
   * The response to {@code ls}: one message whose body is each protocol as a nested message,
   * followed by a final {@code '\n'}.
   */
  public static byte[] encodeList(List<String> protocols) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String protocol : protocols) {
      byte[] nested = encode(protocol);
      body.write(nested, 0, nested.length);
    }
    body.write('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(body.size(), out);
    byte[] bodyBytes = body.toByteArray();
    out.write(bodyBytes, 0, bodyBytes.length);
    return out.toByteArray();
  }

  /**
   * Reads one message at the buffer's position and advances past it; returns {@code null} and
   * leaves the position when the message is incomplete.
   *
   * @throws MultistreamException if the message is too long, empty, or lacks its newline
   */
  public static String decode(ByteBuffer in) throws MultistreamException {
    int start = in.position();
    long length;
    try {
      length = Varint.read(in);
    } catch (IllegalArgumentException e) {
      throw new MultistreamException("malformed multistream length prefix");
    }
    if (length < 0) {
      return null;
    }
    if (length == 0 || length > MAX_MESSAGE) {
      throw new MultistreamException("multistream message of " + length + " bytes");
    }
    if (in.remaining() < length) {
      in.position(start);
      return null;
    }
    byte[] body = new byte[(int) length];
    in.get(body);
    if (body[body.length - 1] != '\n') {
      throw new MultistreamException("multistream message without trailing newline");
    }
    return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
  }
}
