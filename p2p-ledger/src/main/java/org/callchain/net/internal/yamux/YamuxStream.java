package org.callchain.net.internal.yamux;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.callchain.net.Connection;
import org.callchain.net.Direction;
import org.callchain.net.NetworkException;
import org.callchain.net.PeerId;
import org.callchain.net.Stream;
import org.callchain.net.StreamReader;
import org.callchain.net.StreamResetException;

/**
 * One yamux stream. All state lives on the session's event loop; public methods hop onto it.
 *
 * <p>Flow control (spec, "Flow Control"): we may send at most {@code sendWindow} bytes until the
 * peer grants more with a window update; the rest waits in {@code pendingWrites}, bounded by the
 * host's pending-write limit. The peer may send at most {@code receiveWindow} bytes; we grant more
 * only for bytes the application reader has actually been handed, in steps of half the window, so a
 * paused or missing reader holds at most one window of data.
 */
public final class YamuxStream implements Stream {
  /** Largest Data frame we send; keeps one busy stream from starving the others. */
  static final int MAX_DATA_FRAME = 16 * 1024;

  private record PendingWrite(byte[] data, int offset, CompletableFuture<Void> done) {}

  private final YamuxSession session;
  private final int id;
  private final Direction direction;
  private final EventLoop loop;
  private final ArrayDeque<PendingWrite> pendingWrites = new ArrayDeque<>();
  private final ArrayDeque<byte[]> heldInbound = new ArrayDeque<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final CompletableFuture<Void> finWritten = new CompletableFuture<>();
  private volatile String protocol = "";
  private StreamReader reader;
  private boolean paused;
  private long sendWindow = YamuxSession.INITIAL_WINDOW;
  private long receiveWindow = YamuxSession.INITIAL_WINDOW;
  private long unackedConsumed;
  private long pendingBytes;
  private boolean synPending;
  private boolean ackPending;
  private boolean finRequested;
  private boolean finSent;
  private boolean remoteClosed;
  private boolean remoteCloseDelivered;
  private boolean reset;

  YamuxStream(YamuxSession session, int id, Direction direction, EventLoop loop) {
    this.session = session;
    this.id = id;
    this.direction = direction;
    this.loop = loop;
    this.synPending = direction == Direction.OUTBOUND;
    this.ackPending = direction == Direction.INBOUND;
  }

  public int id() {
    return id;
  }

  /** Sets the negotiated protocol id (done by the host after multistream-select). */
  public void setProtocol(String protocol) {
    this.protocol = protocol;
  }

  /** Puts bytes back in front of the inbound queue (multistream leftovers). */
  public void unread(byte[] data) {
    inLoop(
        () -> {
          if (data.length > 0) {
            heldInbound.addFirst(data);
          }
        });
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public PeerId remotePeer() {
    return session.connection().remotePeer();
  }

  @Override
  public Connection connection() {
    return session.connection();
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public void setReader(StreamReader newReader) {
    inLoop(
        () -> {
          reader = newReader;
          drain();
        });
  }

  @Override
  public CompletableFuture<Void> write(byte[] data) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    byte[] copy = data.clone();
    inLoop(
        () -> {
          if (reset || finRequested) {
            done.completeExceptionally(
                new StreamResetException("stream " + id + " is closed for writing"));
            return;
          }
          if (pendingBytes + copy.length > session.maxPendingWriteBytes()) {
            done.completeExceptionally(
                new NetworkException(
                    "stream "
                        + id
                        + " has "
                        + pendingBytes
                        + " bytes waiting for the peer's window; write refused"));
            return;
          }
          if (copy.length == 0) {
            done.complete(null);
            return;
          }
          pendingBytes += copy.length;
          pendingWrites.add(new PendingWrite(copy, 0, done));
          flushWrites();
        });
    return done;
  }

  @Override
  public void pauseReading() {
    inLoop(() -> paused = true);
  }

  @Override
  public void resumeReading() {
    inLoop(
        () -> {
          paused = false;
          drain();
        });
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    inLoop(
        () -> {
          if (reset) {
            finWritten.completeExceptionally(new StreamResetException("stream was reset"));
            return;
          }
          finRequested = true;
          flushWrites();
        });
    return finWritten;
  }

  @Override
  public void reset() {
    inLoop(
        () -> {
          if (reset || (finSent && remoteClosed)) {
            return;
          }
          session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, id, 0);
          session.flush();
          terminate(new StreamResetException("stream " + id + " reset locally"), false);
        });
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /** Sends the opening SYN of an outbound stream. */
  void open() {
    session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, takeOpenFlags(), id, 0);
    session.flush();
  }

  /** Sends the ACK of an inbound stream. */
  void accept() {
    session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, takeOpenFlags(), id, 0);
    session.flush();
  }

  void onData(byte[] data) throws YamuxException {
    if (reset) {
      return;
    }
    if (remoteClosed) {
      throw new YamuxException("data on stream " + id + " after FIN");
    }
    if (data.length > receiveWindow) {
      throw new YamuxException(
          "stream " + id + " sent " + data.length + " bytes, window was " + receiveWindow);
    }
    receiveWindow -= data.length;
    if (data.length > 0) {
      heldInbound.add(data);
    }
    drain();
  }

  void onWindowUpdate(long delta) {
    sendWindow += delta;
    flushWrites();
  }

  void onRemoteFin() {
    remoteClosed = true;
    drain();
    maybeClosed();
  }

  void onRemoteReset() {
    terminate(new StreamResetException("stream " + id + " reset by peer"), false);
  }

  void onSessionClosed() {
    terminate(new StreamResetException("connection closed"), true);
  }

  boolean isEnded() {
    return reset || (finSent && remoteClosed);
  }

  private int takeOpenFlags() {
    int flags = 0;
    if (synPending) {
      flags |= YamuxFrame.FLAG_SYN;
      synPending = false;
    }
    if (ackPending) {
      flags |= YamuxFrame.FLAG_ACK;
      ackPending = false;
    }
    return flags;
  }

  private void drain() {
    while (reader != null && !paused && !reset && !heldInbound.isEmpty()) {
      byte[] chunk = heldInbound.poll();
      unackedConsumed += chunk.length;
      reader.onData(this, chunk);
    }
    grantWindow();
    if (remoteClosed
        && !remoteCloseDelivered
        && heldInbound.isEmpty()
        && reader != null
        && !paused
        && !reset) {
      remoteCloseDelivered = true;
      reader.onRemoteClose(this);
    }
  }

  /** Re-opens the peer's window once half of it has been consumed (spec, "Flow Control"). */
  private void grantWindow() {
    if (reset || remoteClosed || unackedConsumed < YamuxSession.INITIAL_WINDOW / 2) {
      return;
    }
    long delta = unackedConsumed;
    unackedConsumed = 0;
    receiveWindow += delta;
    session.writeControl(YamuxFrame.TYPE_WINDOW_UPDATE, takeOpenFlags(), id, delta);
    session.flush();
  }

  private void flushWrites() {
    boolean wrote = false;
    while (!reset && !pendingWrites.isEmpty() && sendWindow > 0) {
      PendingWrite head = pendingWrites.poll();
      int remaining = head.data.length - head.offset;
      int n = (int) Math.min(Math.min(remaining, sendWindow), MAX_DATA_FRAME);
      ChannelFuture written = session.writeData(takeOpenFlags(), id, head.data, head.offset, n);
      wrote = true;
      sendWindow -= n;
      pendingBytes -= n;
      if (n == remaining) {
        written.addListener(
            f -> {
              if (f.isSuccess()) {
                head.done.complete(null);
              } else {
                head.done.completeExceptionally(new NetworkException("write failed", f.cause()));
              }
            });
      } else {
        pendingWrites.addFirst(new PendingWrite(head.data, head.offset + n, head.done));
      }
    }
    if (finRequested && !finSent && pendingWrites.isEmpty() && !reset) {
      finSent = true;
      session.writeControl(
          YamuxFrame.TYPE_WINDOW_UPDATE, takeOpenFlags() | YamuxFrame.FLAG_FIN, id, 0);
      wrote = true;
      finWritten.complete(null);
      maybeClosed();
    }
    if (wrote) {
      session.flush();
    }
  }

  private void maybeClosed() {
    if (finSent && remoteClosed && !closeFuture.isDone()) {
      session.streamEnded(this);
      closeFuture.complete(null);
    }
  }

  private void terminate(StreamResetException cause, boolean sessionGone) {
    if (reset) {
      return;
    }
    boolean cleanlyClosed = finSent && remoteClosed;
    reset = true;
    heldInbound.clear();
    for (PendingWrite pending : pendingWrites) {
      pending.done.completeExceptionally(cause);
    }
    pendingWrites.clear();
    pendingBytes = 0;
    finWritten.completeExceptionally(cause);
    if (!sessionGone) {
      session.streamEnded(this);
    }
    if (reader != null && !cleanlyClosed) {
      reader.onReset(this, cause);
    }
    closeFuture.complete(null);
  }

  private void inLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  @Override
  public String toString() {
    return "YamuxStream[" + id + " " + direction + " " + protocol + "]";
  }
}
