package org.callchain.net;

/**
 * Receives a stream's inbound bytes, in order, on the connection's event loop. Chunk boundaries
 * carry no meaning (they are yamux frames); use {@link LengthPrefixedReader} for messages.
 *
 * <p>Backpressure: the peer may only send as much as our receive window allows (yamux, 256 KiB),
 * and the window is re-opened only for bytes this reader has been given while the stream is not
 * {@linkplain Stream#pauseReading() paused}. A slow consumer pauses the stream and resumes it
 * later; nothing is buffered beyond the window.
 */
public interface StreamReader {
  /** The next chunk of bytes; the array is the reader's to keep. */
  void onData(Stream stream, byte[] data);

  /** The remote side closed its write half (yamux FIN); no more data will come. */
  default void onRemoteClose(Stream stream) {}

  /**
   * The stream ended abnormally (reset by either side, or the connection died). Called at most
   * once, and never after {@link #onRemoteClose} has been followed by a clean local close.
   */
  default void onReset(Stream stream, StreamResetException cause) {}
}
