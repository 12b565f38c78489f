package org.callchain.net.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.callchain.net.Connection;
import org.callchain.net.Direction;
import org.callchain.net.NetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session on one secured connection, as the last inbound handler of its Netty pipeline. The
 * dialer is the yamux client and uses odd stream ids, the listener even ones (spec, "Stream
 * Identifiers"; libp2p yamux). Any protocol violation — a bad header, data beyond the window, a
 * frame larger than any window we granted, a stream id of the wrong parity, a flood of streams
 * beyond the limit — ends the whole session with a protocol-error go-away and closes the
 * connection; other connections are unaffected.
 */
public final class YamuxSession extends ByteToMessageDecoder {
  /** The initial per-stream window of the spec; we never grant more at once. */
  public static final int INITIAL_WINDOW = 256 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  /** How a session is limited. */
  public record Limits(
      int maxInboundStreams, int maxPendingWriteBytes, Duration keepAliveInterval) {}

  /** Receives inbound streams (after their ACK was sent). */
  public interface InboundStreamHandler {
    void onInboundStream(YamuxStream stream);
  }

  private final boolean client;
  private final Limits limits;
  private final InboundStreamHandler inboundHandler;
  private final Map<Integer, YamuxStream> streams = new HashMap<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Map<Long, PendingPing> pings = new HashMap<>();
  private ChannelHandlerContext ctx;
  private Connection connection;
  private int nextStreamId;
  private int inboundStreams;
  private int refusedStreams;
  private long refusedWindowStart;
  private boolean goAwayReceived;
  private boolean goAwaySent;
  private YamuxFrame pendingDataHeader;
  private ScheduledFuture<?> keepAlive;

  private record PendingPing(long sentNanos, CompletableFuture<Duration> result) {}

  public YamuxSession(boolean client, Limits limits, InboundStreamHandler inboundHandler) {
    this.client = client;
    this.limits = limits;
    this.inboundHandler = inboundHandler;
    this.nextStreamId = client ? 1 : 2;
  }

  /** The connection this session belongs to; set once by the host before any stream exists. */
  public void attach(Connection owner) {
    this.connection = owner;
  }

  Connection connection() {
    return connection;
  }

  int maxPendingWriteBytes() {
    return limits.maxPendingWriteBytes();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    long interval = limits.keepAliveInterval().toMillis();
    keepAlive =
        context
            .executor()
            .scheduleAtFixedRate(this::keepAliveTick, interval, interval, TimeUnit.MILLISECONDS);
    context.channel().closeFuture().addListener(f -> onChannelClosed());
  }

  /** Opens an outbound stream; fails after a go-away or on a closed connection. */
  public CompletableFuture<YamuxStream> openStream() {
    CompletableFuture<YamuxStream> result = new CompletableFuture<>();
    ctx.executor()
        .execute(
            () -> {
              if (goAwayReceived || goAwaySent || !ctx.channel().isActive()) {
                result.completeExceptionally(
                    new NetworkException("connection is going away; no new streams"));
                return;
              }
              int id = nextStreamId;
              nextStreamId += 2;
              YamuxStream stream =
                  new YamuxStream(this, id, Direction.OUTBOUND, ctx.channel().eventLoop());
              streams.put(id, stream);
              stream.open();
              result.complete(stream);
            });
    return result;
  }

  /** Sends a yamux ping and completes with the round-trip time. */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    ctx.executor()
        .execute(
            () -> {
              long opaque = ThreadLocalRandom.current().nextLong(1, 0xffffffffL);
              pings.put(opaque, new PendingPing(System.nanoTime(), result));
              writeControl(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, opaque);
              flush();
            });
    return result;
  }

  /** Sends go-away (no new streams from either side) and closes the connection after a flush. */
  public CompletableFuture<Void> goAwayAndClose(int code) {
    ctx.executor()
        .execute(
            () -> {
              if (!goAwaySent && ctx.channel().isActive()) {
                goAwaySent = true;
                writeControl(YamuxFrame.TYPE_GO_AWAY, 0, 0, code);
                ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
              } else {
                ctx.close();
              }
            });
    return closed;
  }

  /** Completes when the connection has closed. */
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  /** The number of open streams; for tests and metrics. */
  public int openStreams() {
    return streams.size();
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    try {
      while (context.channel().isActive()) {
        YamuxFrame header = pendingDataHeader;
        if (header == null) {
          header = YamuxFrame.readHeader(in);
          if (header == null) {
            return;
          }
        }
        if (header.type() == YamuxFrame.TYPE_DATA) {
          if (header.length() > INITIAL_WINDOW) {
            throw new YamuxException("data frame of " + header.length() + " bytes");
          }
          if (in.readableBytes() < header.length()) {
            pendingDataHeader = header;
            return;
          }
          pendingDataHeader = null;
          byte[] payload = new byte[(int) header.length()];
          in.readBytes(payload);
          onFrame(header, payload);
        } else {
          onFrame(header, null);
        }
      }
    } catch (YamuxException e) {
      // Discard first: closing may release the cumulation buffer synchronously.
      in.skipBytes(in.readableBytes());
      protocolError(e.getMessage());
    }
  }

  private void onFrame(YamuxFrame frame, byte[] payload) throws YamuxException {
    switch (frame.type()) {
      case YamuxFrame.TYPE_PING -> onPing(frame);
      case YamuxFrame.TYPE_GO_AWAY -> {
        goAwayReceived = true;
        LOG.debug("peer sent go-away with code {}", frame.length());
      }
      default -> onStreamFrame(frame, payload);
    }
  }

  private void onPing(YamuxFrame frame) {
    if (frame.has(YamuxFrame.FLAG_SYN)) {
      writeControl(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, frame.length());
      flush();
    } else if (frame.has(YamuxFrame.FLAG_ACK)) {
      PendingPing ping = pings.remove(frame.length());
      if (ping != null) {
        ping.result.complete(Duration.ofNanos(System.nanoTime() - ping.sentNanos));
      }
    }
  }

  private void onStreamFrame(YamuxFrame frame, byte[] payload) throws YamuxException {
    int id = frame.streamId();
    if (id == 0) {
      throw new YamuxException("stream frame on the session id 0");
    }
    YamuxStream stream = streams.get(id);
    if (frame.has(YamuxFrame.FLAG_SYN)) {
      if (stream != null) {
        throw new YamuxException("SYN for open stream " + id);
      }
      boolean peerIsClient = !client;
      if (((id & 1) == 1) != peerIsClient) {
        throw new YamuxException("peer opened stream " + id + " with our parity");
      }
      stream = acceptInbound(id);
      if (stream == null) {
        return;
      }
    }
    if (stream == null) {
      return; // a late frame for a stream that already ended: discard
    }
    if (frame.type() == YamuxFrame.TYPE_DATA) {
      stream.onData(payload);
    } else {
      stream.onWindowUpdate(frame.length());
    }
    if (frame.has(YamuxFrame.FLAG_RST)) {
      stream.onRemoteReset();
    } else if (frame.has(YamuxFrame.FLAG_FIN)) {
      stream.onRemoteFin();
    }
  }

  /** Accepts an inbound stream, or resets it when the limit is reached. */
  private YamuxStream acceptInbound(int id) throws YamuxException {
    if (goAwaySent || inboundStreams >= limits.maxInboundStreams()) {
      writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
      flush();
      long now = System.nanoTime();
      if (now - refusedWindowStart > TimeUnit.SECONDS.toNanos(10)) {
        refusedWindowStart = now;
        refusedStreams = 0;
      }
      if (++refusedStreams > limits.maxInboundStreams()) {
        throw new YamuxException("stream flood: peer ignores the stream limit");
      }
      return null;
    }
    inboundStreams++;
    YamuxStream stream = new YamuxStream(this, id, Direction.INBOUND, ctx.channel().eventLoop());
    streams.put(id, stream);
    stream.accept();
    inboundHandler.onInboundStream(stream);
    return stream;
  }

  void streamEnded(YamuxStream stream) {
    if (streams.remove(stream.id(), stream) && stream.direction() == Direction.INBOUND) {
      inboundStreams--;
    }
  }

  void writeControl(int type, int flags, int streamId, long value) {
    ByteBuf buf = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    new YamuxFrame(type, flags, streamId, value).writeHeader(buf);
    ctx.write(buf, ctx.voidPromise());
  }

  ChannelFuture writeData(int flags, int streamId, byte[] data, int offset, int length) {
    ByteBuf buf = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH + length);
    new YamuxFrame(YamuxFrame.TYPE_DATA, flags, streamId, length).writeHeader(buf);
    buf.writeBytes(data, offset, length);
    return ctx.write(buf);
  }

  void flush() {
    ctx.flush();
  }

  private void keepAliveTick() {
    long timeout = limits.keepAliveInterval().toNanos();
    long now = System.nanoTime();
    for (PendingPing ping : pings.values()) {
      if (now - ping.sentNanos > timeout) {
        LOG.debug("yamux keep-alive unanswered; closing {}", ctx.channel());
        ctx.close();
        return;
      }
    }
    ping();
  }

  private void protocolError(String reason) {
    LOG.debug("yamux protocol error on {}: {}", ctx.channel(), reason);
    if (!goAwaySent) {
      goAwaySent = true;
      writeControl(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
      ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void onChannelClosed() {
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
    for (YamuxStream stream : List.copyOf(streams.values())) {
      stream.onSessionClosed();
    }
    streams.clear();
    for (PendingPing ping : pings.values()) {
      ping.result.completeExceptionally(new NetworkException("connection closed"));
    }
    pings.clear();
    closed.complete(null);
  }
}
