package org.callchain.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link StreamReader} that cuts the byte stream into varint-length-prefixed messages. A message
 * longer than the limit (or a malformed prefix) resets the stream: the peer broke the protocol and
 * we will not buffer its data. Buffers at most one partial message.
 */
public final class LengthPrefixedReader implements StreamReader {
  /** Receives whole messages and the end of the stream. */
  public interface MessageHandler {
    void onMessage(Stream stream, byte[] message);

    /** The stream ended: cleanly ({@code cause == null}) or not. */
    default void onEnd(Stream stream, NetworkException cause) {}
  }

  private final int maxMessageBytes;
  private final MessageHandler handler;
  private byte[] buffer = new byte[0];
  private boolean ended;

  public LengthPrefixedReader(int maxMessageBytes, MessageHandler handler) {
    this.maxMessageBytes = maxMessageBytes;
    this.handler = handler;
  }

  @Override
  public void onData(Stream stream, byte[] data) {
    if (ended) {
      return;
    }
    byte[] joined = Arrays.copyOf(buffer, buffer.length + data.length);
    System.arraycopy(data, 0, joined, buffer.length, data.length);
    ByteBuffer in = ByteBuffer.wrap(joined);
    while (in.hasRemaining()) {
      int start = in.position();
      long length;
      try {
        length = Varint.read(in);
      } catch (IllegalArgumentException e) {
        fail(stream, "malformed length prefix");
        return;
      }
      if (length < 0) {
        in.position(start);
        break;
      }
      if (length > maxMessageBytes) {
        fail(stream, "message of " + length + " bytes exceeds the limit of " + maxMessageBytes);
        return;
      }
      if (in.remaining() < length) {
        in.position(start);
        break;
      }
      byte[] message = new byte[(int) length];
      in.get(message);
      handler.onMessage(stream, message);
      if (ended) {
        return;
      }
    }
    buffer = Arrays.copyOfRange(joined, in.position(), joined.length);
  }

  @Override
  public void onRemoteClose(Stream stream) {
    if (ended) {
      return;
    }
    ended = true;
    handler.onEnd(
        stream, buffer.length == 0 ? null : new NetworkException("stream ended inside a message"));
  }

  @Override
  public void onReset(Stream stream, StreamResetException cause) {
    if (!ended) {
      ended = true;
      handler.onEnd(stream, cause);
    }
  }

  private void fail(Stream stream, String reason) {
    ended = true;
    buffer = new byte[0];
    stream.reset();
    handler.onEnd(stream, new NetworkException(reason));
  }

  /** Encodes one message for this framing; a convenience mirror of {@link LengthPrefixed}. */
  public static byte[] frame(byte[] message) {
    return LengthPrefixed.frame(message);
  }
}
