package org.callchain.net.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.callchain.net.Stream;
import org.callchain.net.StreamReader;
import org.callchain.net.StreamResetException;
import org.junit.jupiter.api.Test;

/**
 * Two yamux sessions wired back to back on Netty embedded channels: flow control under a slow
 * reader, stream limits, floods, go-away, oversized frames, half-close (yamux spec.md).
 */
class YamuxSessionTest {
  private final List<YamuxStream> acceptedByServer = new ArrayList<>();
  private long bytesToServer;

  private final class Peer {
    final YamuxSession session;
    final EmbeddedChannel channel;

    Peer(boolean client, int maxInbound, StreamReaderFactory readers) {
      session =
          new YamuxSession(
              client,
              new YamuxSession.Limits(maxInbound, 8 * 1024 * 1024, Duration.ofSeconds(30)),
              stream -> {
                acceptedByServer.add(stream);
                stream.setReader(readers.reader(stream));
              });
      channel = new EmbeddedChannel(session);
    }
  }

  private interface StreamReaderFactory {
    StreamReader reader(YamuxStream stream);
  }

  private static final class Recorder implements StreamReader {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    boolean remoteClosed;
    StreamResetException reset;

    @Override
    public void onData(Stream stream, byte[] chunk) {
      data.writeBytes(chunk);
    }

    @Override
    public void onRemoteClose(Stream stream) {
      remoteClosed = true;
    }

    @Override
    public void onReset(Stream stream, StreamResetException cause) {
      reset = cause;
    }
  }

  /** Moves bytes both ways until nothing is left to move. */
  private void pump(Peer client, Peer server) {
    boolean moved = true;
    while (moved) {
      moved = false;
      client.channel.runPendingTasks();
      server.channel.runPendingTasks();
      ByteBuf out;
      while ((out = client.channel.readOutbound()) != null) {
        bytesToServer += out.readableBytes();
        if (server.channel.isActive()) {
          server.channel.writeInbound(out);
        } else {
          out.release();
        }
        moved = true;
      }
      while ((out = server.channel.readOutbound()) != null) {
        if (client.channel.isActive()) {
          client.channel.writeInbound(out);
        } else {
          out.release();
        }
        moved = true;
      }
    }
  }

  private static YamuxStream open(Peer peer) {
    CompletableFuture<YamuxStream> stream = peer.session.openStream();
    peer.channel.runPendingTasks();
    return stream.join();
  }

  @Test
  void slowReaderHoldsAtMostOneWindowAndResumingDeliversEverything() {
    Recorder serverReader = new Recorder();
    Peer server =
        new Peer(
            false,
            16,
            stream -> {
              stream.pauseReading();
              return serverReader;
            });
    Peer client = new Peer(true, 16, s -> new Recorder());
    YamuxStream stream = open(client);
    byte[] payload = new byte[1024 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    CompletableFuture<Void> written = stream.write(payload);
    pump(client, server);

    // Paused reader: the client may only send the initial 256 KiB window, and must wait.
    long headers =
        YamuxFrame.HEADER_LENGTH * (1 + YamuxSession.INITIAL_WINDOW / YamuxStream.MAX_DATA_FRAME);
    assertThat(bytesToServer)
        .isBetween((long) YamuxSession.INITIAL_WINDOW, YamuxSession.INITIAL_WINDOW + headers);
    assertThat(serverReader.data.size()).isZero();
    assertThat(written).isNotDone();
    assertThat(server.channel.isActive()).isTrue();

    acceptedByServer.get(0).resumeReading();
    server.channel.runPendingTasks();
    pump(client, server);
    assertThat(serverReader.data.toByteArray()).isEqualTo(payload);
    assertThat(written).isCompleted();
  }

  @Test
  void halfCloseEndsTheStreamOnBothSides() {
    Recorder serverReader = new Recorder();
    Peer server = new Peer(false, 16, s -> serverReader);
    Peer client = new Peer(true, 16, s -> new Recorder());
    YamuxStream stream = open(client);
    Recorder clientReader = new Recorder();
    stream.setReader(clientReader);
    stream.write(new byte[] {1, 2, 3});
    stream.closeWrite();
    pump(client, server);
    assertThat(serverReader.data.toByteArray()).containsExactly(1, 2, 3);
    assertThat(serverReader.remoteClosed).isTrue();
    YamuxStream serverSide = acceptedByServer.get(0);
    serverSide.write(new byte[] {9});
    serverSide.closeWrite();
    pump(client, server);
    assertThat(clientReader.data.toByteArray()).containsExactly(9);
    assertThat(stream.closeFuture()).isCompleted();
    assertThat(serverSide.closeFuture()).isCompleted();
    assertThat(client.session.openStreams()).isZero();
    assertThat(server.session.openStreams()).isZero();
  }

  @Test
  void streamsBeyondTheLimitAreReset() {
    Peer server = new Peer(false, 2, s -> new Recorder());
    Peer client = new Peer(true, 16, s -> new Recorder());
    List<Recorder> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      YamuxStream stream = open(client);
      Recorder reader = new Recorder();
      readers.add(reader);
      stream.setReader(reader);
      stream.write(new byte[] {(byte) i});
    }
    pump(client, server);
    assertThat(readers.get(0).reset).isNull();
    assertThat(readers.get(1).reset).isNull();
    assertThat(readers.get(2).reset).isNotNull();
    assertThat(acceptedByServer).hasSize(2);
    assertThat(server.channel.isActive()).isTrue();
  }

  @Test
  void aStreamFloodClosesTheSession() {
    Peer server = new Peer(false, 2, s -> new Recorder());
    Peer client = new Peer(true, 16, s -> new Recorder());
    for (int i = 0; i < 10; i++) {
      open(client);
    }
    pump(client, server);
    assertThat(server.channel.isActive()).isFalse();
  }

  @Test
  void afterGoAwayNoNewStreamsAreOpened() {
    Peer server = new Peer(false, 16, s -> new Recorder());
    Peer client = new Peer(true, 16, s -> new Recorder());
    client.session.goAwayAndClose(YamuxFrame.GO_AWAY_NORMAL);
    pump(client, server);
    CompletableFuture<YamuxStream> refused = server.session.openStream();
    server.channel.runPendingTasks();
    assertThat(refused).isCompletedExceptionally();
    assertThat(client.channel.isActive()).isFalse();
  }

  @Test
  void oversizedDataFrameClosesTheSessionWithProtocolError() {
    Peer server = new Peer(false, 16, s -> new Recorder());
    ByteBuf frame = Unpooled.buffer();
    new YamuxFrame(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_SYN, 1, 300_000).writeHeader(frame);
    server.channel.writeInbound(frame);
    server.channel.runPendingTasks();
    ByteBuf goAway = server.channel.readOutbound();
    assertThat(goAway.getByte(1)).isEqualTo((byte) YamuxFrame.TYPE_GO_AWAY);
    assertThat(goAway.getInt(8)).isEqualTo(YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    assertThat(server.channel.isActive()).isFalse();
  }

  @Test
  void dataBeyondTheGrantedWindowClosesTheSession() {
    Peer server =
        new Peer(
            false,
            16,
            stream -> {
              stream.pauseReading();
              return new Recorder();
            });
    ByteBuf frames = Unpooled.buffer();
    new YamuxFrame(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_SYN, 1, YamuxSession.INITIAL_WINDOW)
        .writeHeader(frames);
    frames.writeZero(YamuxSession.INITIAL_WINDOW);
    new YamuxFrame(YamuxFrame.TYPE_DATA, 0, 1, 1).writeHeader(frames);
    frames.writeByte(1);
    server.channel.writeInbound(frames);
    assertThat(server.channel.isActive()).isFalse();
  }

  @Test
  void streamIdOfTheWrongParityIsAProtocolError() {
    Peer server = new Peer(false, 16, s -> new Recorder());
    ByteBuf frame = Unpooled.buffer();
    new YamuxFrame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 2, 0).writeHeader(frame);
    server.channel.writeInbound(frame);
    assertThat(server.channel.isActive()).isFalse();
  }

  @Test
  void pingIsAnsweredAndMeasured() {
    Peer server = new Peer(false, 16, s -> new Recorder());
    Peer client = new Peer(true, 16, s -> new Recorder());
    CompletableFuture<Duration> rtt = client.session.ping();
    pump(client, server);
    assertThat(rtt).isCompleted();
    assertThat(rtt.join()).isPositive();
  }
}
