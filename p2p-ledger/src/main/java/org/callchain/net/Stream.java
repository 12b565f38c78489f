package org.callchain.net;

import java.util.concurrent.CompletableFuture;

/**
 * One bidirectional, flow-controlled byte stream to a peer (a yamux stream) on which a protocol has
 * been negotiated with multistream-select. Obtained from {@link Host#newStream} or given to a
 * {@link StreamHandler}.
 *
 * <p>Writing: {@link #write} queues the bytes and returns a future that completes when they have
 * been handed to the socket. The peer's receive window limits what is in flight; bytes beyond it
 * wait in a per-stream queue bounded by {@link HostConfig#maxPendingWriteBytes()}, past which
 * writes fail, so a writer that waits for its futures never exceeds the bound.
 *
 * <p>Closing: {@link #closeWrite} half-closes (yamux FIN) — the peer sees the end of our data and
 * may still answer; the stream is fully closed once both sides have closed. {@link #reset} aborts
 * both directions at once (yamux RST).
 *
 * <p>Every method may be called from any thread.
 */
public interface Stream {
  /** The negotiated protocol id, e.g. {@code /meshsub/1.1.0}. */
  String protocol();

  /** The peer at the other end. */
  PeerId remotePeer();

  /** The connection this stream is multiplexed on. */
  Connection connection();

  /** Whether we opened the stream. */
  Direction direction();

  /**
   * Sets the reader that receives inbound bytes; bytes that arrived before are delivered to it at
   * once. Replacing the reader is allowed.
   */
  void setReader(StreamReader reader);

  /**
   * Queues bytes for sending. Completes when written to the connection; fails with {@link
   * NetworkException} when the stream is closed for writing or reset, or the pending-write bound
   * would be exceeded.
   */
  CompletableFuture<Void> write(byte[] data);

  /** Stops delivering inbound bytes and stops re-opening the peer's send window. */
  void pauseReading();

  /** Resumes delivery (held bytes first) and re-opens the window for them. */
  void resumeReading();

  /** Half-closes our side after all queued writes (yamux FIN). */
  CompletableFuture<Void> closeWrite();

  /** Aborts the stream in both directions (yamux RST); queued writes fail. */
  void reset();

  /** Completes when the stream has ended: both sides closed, or reset. Never fails. */
  CompletableFuture<Void> closeFuture();
}
