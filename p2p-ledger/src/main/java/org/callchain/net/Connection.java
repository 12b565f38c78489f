package org.callchain.net;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One secured (Noise) and multiplexed (yamux) TCP connection to an authenticated peer. Streams are
 * opened on it with {@link #newStream}; {@link Host#newStream} picks or dials a connection for you.
 */
public interface Connection {
  /** The peer, authenticated by the Noise handshake. */
  PeerId remotePeer();

  /** The peer's identity key, as proven in the Noise handshake payload. */
  PeerPublicKey remotePublicKey();

  /** The remote TCP endpoint, without {@code /p2p/}. */
  Multiaddr remoteAddress();

  /** Our local TCP endpoint of this connection. */
  Multiaddr localAddress();

  /** Whether we dialled. */
  Direction direction();

  /**
   * Opens a stream and negotiates the first protocol of the list that the peer accepts
   * (multistream-select). Fails with {@link ProtocolNotSupportedException} if it accepts none.
   */
  CompletableFuture<Stream> newStream(List<String> protocolIds);

  /** Whether the connection is usable. */
  boolean isOpen();

  /** Sends yamux go-away and closes the socket; completes when closed. */
  CompletableFuture<Void> close();

  /** Completes when the connection has closed, for any reason. Never fails. */
  CompletableFuture<Void> closeFuture();
}
