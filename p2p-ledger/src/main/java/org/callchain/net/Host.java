package org.callchain.net;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A libp2p node: it listens and dials over TCP, secures every connection with Noise XX, lets the
 * {@link ConnectionGater} decide, multiplexes with yamux, answers identify and ping, and serves the
 * application's stream protocols. At most one connection per peer is used for new streams (the
 * oldest open one); limits come from {@link HostConfig}.
 */
public interface Host extends AutoCloseable {
  /** This node's peer id. */
  PeerId peerId();

  /** Binds the configured listen addresses and starts bootstrap dialling. */
  CompletableFuture<Void> start();

  /** Closes every connection and listener; idempotent. */
  CompletableFuture<Void> stop();

  /** The bound listen addresses (real ports), without {@code /p2p/}. */
  List<Multiaddr> listenAddresses();

  /**
   * Dials an {@code /ip4|ip6/.../tcp/.../p2p/<id>} address. Without {@code /p2p/} any peer is
   * accepted; with it, a different authenticated peer fails the dial. Reuses an open connection to
   * that peer.
   */
  CompletableFuture<Connection> dial(Multiaddr address);

  /** Serves a protocol; replaces an earlier handler of the same id. Listed in identify. */
  void setStreamHandler(String protocolId, StreamHandler handler);

  void removeStreamHandler(String protocolId);

  /**
   * Opens a stream to a connected peer, negotiating the first of the protocols it accepts. Fails
   * with {@link NetworkException} if there is no connection (dial first).
   */
  CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds);

  /** The open connections. */
  Collection<Connection> connections();

  /** Whether an open connection to the peer exists. */
  boolean isConnected(PeerId peer);

  void addConnectionListener(ConnectionListener listener);

  void removeConnectionListener(ConnectionListener listener);

  /** One ping round trip ({@code /ipfs/ping/1.0.0}, 32 random bytes echoed) to a connected peer. */
  CompletableFuture<Duration> ping(PeerId peer);

  /** Asks a connected peer for its identify record. */
  CompletableFuture<IdentifyInfo> identify(PeerId peer);

  /** Same as {@link #stop()}, waiting up to a few seconds. */
  @Override
  void close();
}
