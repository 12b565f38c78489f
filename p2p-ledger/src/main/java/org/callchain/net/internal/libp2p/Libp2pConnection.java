package org.callchain.net.internal.libp2p;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.callchain.net.Connection;
import org.callchain.net.Direction;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.callchain.net.Stream;
import org.callchain.net.internal.yamux.YamuxFrame;
import org.callchain.net.internal.yamux.YamuxSession;

/** An upgraded connection: a Netty channel carrying Noise and a yamux session. */
final class Libp2pConnection implements Connection {
  private final Channel channel;
  private final YamuxSession session;
  private final PeerPublicKey remoteKey;
  private final PeerId remotePeer;
  private final Direction direction;
  private final Duration negotiationTimeout;
  // Captured while open: a closed Netty channel no longer reports its addresses.
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;

  Libp2pConnection(
      Channel channel,
      YamuxSession session,
      PeerPublicKey remoteKey,
      Direction direction,
      Duration negotiationTimeout) {
    this.channel = channel;
    this.session = session;
    this.remoteKey = remoteKey;
    this.remotePeer = remoteKey.toPeerId();
    this.direction = direction;
    this.negotiationTimeout = negotiationTimeout;
    this.remoteAddress = Libp2pHost.toMultiaddr(channel.remoteAddress());
    this.localAddress = Libp2pHost.toMultiaddr(channel.localAddress());
  }

  YamuxSession session() {
    return session;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public PeerPublicKey remotePublicKey() {
    return remoteKey;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public CompletableFuture<Stream> newStream(List<String> protocolIds) {
    return session
        .openStream()
        .thenCompose(
            stream ->
                StreamNegotiation.outbound(
                    stream, protocolIds, negotiationTimeout, channel.eventLoop()));
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public CompletableFuture<Void> close() {
    return session.goAwayAndClose(YamuxFrame.GO_AWAY_NORMAL);
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return session.closeFuture();
  }

  @Override
  public String toString() {
    return "Connection[" + direction + " " + remotePeer + " " + remoteAddress + "]";
  }
}
