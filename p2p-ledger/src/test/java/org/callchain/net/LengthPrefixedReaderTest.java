package org.callchain.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Varint-length-prefixed framing on a stream, chunked arbitrarily. */
class LengthPrefixedReaderTest {
  /** Records what the reader does to its stream; nothing else is needed. */
  private static final class RecordingStream implements Stream {
    boolean reset;

    @Override
    public String protocol() {
      return "/test";
    }

    @Override
    public PeerId remotePeer() {
      return null;
    }

    @Override
    public Connection connection() {
      return null;
    }

    @Override
    public Direction direction() {
      return Direction.INBOUND;
    }

    @Override
    public void setReader(StreamReader reader) {}

    @Override
    public CompletableFuture<Void> write(byte[] data) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void pauseReading() {}

    @Override
    public void resumeReading() {}

    @Override
    public CompletableFuture<Void> closeWrite() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void reset() {
      reset = true;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
      return new CompletableFuture<>();
    }
  }

  private final List<byte[]> messages = new ArrayList<>();
  private final List<NetworkException> ends = new ArrayList<>();
  private final RecordingStream stream = new RecordingStream();

  private LengthPrefixedReader reader(int max) {
    return new LengthPrefixedReader(
        max,
        new LengthPrefixedReader.MessageHandler() {
          @Override
          public void onMessage(Stream s, byte[] message) {
            messages.add(message);
          }

          @Override
          public void onEnd(Stream s, NetworkException cause) {
            ends.add(cause);
          }
        });
  }

  @Test
  void cutsMessagesAcrossAnyChunking() {
    byte[] big = new byte[300];
    big[299] = 7;
    byte[] wire =
        concat(
            concat(LengthPrefixed.frame(new byte[] {1, 2}), LengthPrefixed.frame(new byte[0])),
            LengthPrefixed.frame(big));
    LengthPrefixedReader reader = reader(1000);
    for (byte b : wire) {
      reader.onData(stream, new byte[] {b});
    }
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0)).containsExactly(1, 2);
    assertThat(messages.get(1)).isEmpty();
    assertThat(messages.get(2)).isEqualTo(big);
    reader.onRemoteClose(stream);
    assertThat(ends).containsExactly((NetworkException) null);
  }

  @Test
  void oversizedMessageResetsTheStreamBeforeBuffering() {
    LengthPrefixedReader reader = reader(10);
    reader.onData(stream, Varint.encode(1_000_000));
    assertThat(stream.reset).isTrue();
    assertThat(ends).hasSize(1);
    assertThat(ends.get(0)).hasMessageContaining("exceeds the limit");
    reader.onData(stream, new byte[100]);
    assertThat(messages).isEmpty();
  }

  @Test
  void endInsideAMessageIsReported() {
    LengthPrefixedReader reader = reader(10);
    reader.onData(stream, new byte[] {5, 1, 2});
    reader.onRemoteClose(stream);
    assertThat(ends.get(0)).hasMessageContaining("inside a message");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
