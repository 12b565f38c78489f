package org.callchain.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link StreamReader} that cuts the byte stream into varint-length-prefixed messages. A message
 * longer than the limit (or a malformed prefix) resets the stream: the peer broke the protocol and
 * we will not buffer its data. Buffers at most one partial message, allocated once its length is
 * known.
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

  /** Bytes of a length prefix not yet complete (at most 9). */
  private byte[] prefix = new byte[0];

  /** The message being filled once its length is known, and how much of it has arrived. */
  private byte[] message;

  private int filled;
  private boolean ended;

  public LengthPrefixedReader(int maxMessageBytes, MessageHandler handler) {
    this.maxMessageBytes = maxMessageBytes;
    this.handler = handler;
  }

  @Override
  public void onData(Stream stream, byte[] data) {
    int offset = 0;
    while (!ended && offset < data.length) {
      if (message == null) {
        offset = readPrefix(stream, data, offset);
        continue;
      }
      int n = Math.min(message.length - filled, data.length - offset);
      System.arraycopy(data, offset, message, filled, n);
      filled += n;
      offset += n;
      if (filled == message.length) {
        byte[] complete = message;
        message = null;
        handler.onMessage(stream, complete);
      }
    }
  }

  /** Consumes length-prefix bytes from {@code data}; returns the new offset. */
  private int readPrefix(Stream stream, byte[] data, int offset) {
    while (offset < data.length) {
      byte[] grown = Arrays.copyOf(prefix, prefix.length + 1);
      grown[prefix.length] = data[offset++];
      prefix = grown;
      long length;
      try {
        length = Varint.read(ByteBuffer.wrap(prefix));
      } catch (IllegalArgumentException e) {
        fail(stream, "malformed length prefix");
        return data.length;
      }
      if (length < 0) {
        continue;
      }
      prefix = new byte[0];
      if (length > maxMessageBytes) {
        fail(stream, "message of " + length + " bytes exceeds the limit of " + maxMessageBytes);
        return data.length;
      }
      message = new byte[(int) length];
      filled = 0;
      if (length == 0) {
        message = null;
        handler.onMessage(stream, new byte[0]);
      }
      return offset;
    }
    return offset;
  }

  @Override
  public void onRemoteClose(Stream stream) {
    if (ended) {
      return;
    }
    ended = true;
    handler.onEnd(
        stream,
        message == null && prefix.length == 0
            ? null
            : new NetworkException("stream ended inside a message"));
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
    message = null;
    stream.reset();
    handler.onEnd(stream, new NetworkException(reason));
  }

  /** Encodes one message for this framing; a convenience mirror of {@link LengthPrefixed}. */
  public static byte[] frame(byte[] message) {
    return LengthPrefixed.frame(message);
  }
}
