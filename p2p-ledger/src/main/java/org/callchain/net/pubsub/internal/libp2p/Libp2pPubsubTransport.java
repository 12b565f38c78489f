package org.callchain.net.pubsub.internal.libp2p;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.callchain.net.Connection;
import org.callchain.net.ConnectionListener;
import org.callchain.net.Direction;
import org.callchain.net.Host;
import org.callchain.net.LengthPrefixed;
import org.callchain.net.LengthPrefixedReader;
import org.callchain.net.Multiaddr;
import org.callchain.net.NetworkException;
import org.callchain.net.PeerId;
import org.callchain.net.Stream;
import org.callchain.net.pubsub.PeerConnection;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PubsubTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the router to libp2p streams as the pubsub spec prescribes ("Stream management"): for each
 * connected peer that speaks {@code /meshsub/1.1.0} or {@code /meshsub/1.0.0} we open one
 * long-lived outbound stream and only ever write to it; the peer does the same, and we only read
 * from the stream it opened. Each RPC is framed with an unsigned-varint length prefix; a frame
 * above the size limit resets the inbound stream.
 *
 * <p>A peer is "connected" for the router while our outbound stream to it is open. Writes that the
 * stream cannot queue (a peer that does not read) are dropped: gossip repairs the loss, and the
 * router's scoring deals with a peer that never delivers.
 */
public final class Libp2pPubsubTransport implements PubsubTransport {
  /** The protocol ids we speak, preferred first. */
  public static final List<String> PROTOCOLS = List.of("/meshsub/1.1.0", "/meshsub/1.0.0");

  private static final Logger log = LoggerFactory.getLogger(Libp2pPubsubTransport.class);

  private final Host host;
  private final int maxRpcSize;
  private final Map<PeerId, Stream> outbound = new ConcurrentHashMap<>();
  private final Map<PeerId, Boolean> opening = new ConcurrentHashMap<>();
  private volatile Listener listener;

  public Libp2pPubsubTransport(Host host, int maxRpcSize) {
    this.host = host;
    this.maxRpcSize = maxRpcSize;
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
    for (String protocol : PROTOCOLS) {
      host.setStreamHandler(protocol, this::acceptInbound);
    }
    host.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onConnected(Connection connection) {
            openOutbound(connection);
          }

          @Override
          public void onDisconnected(Connection connection) {
            PeerId peer = connection.remotePeer();
            if (!host.isConnected(peer)) {
              Stream s = outbound.get(peer);
              if (s != null) {
                s.reset();
              }
            }
          }
        });
    for (Connection c : host.connections()) {
      openOutbound(c);
    }
  }

  private void acceptInbound(Stream stream) {
    PeerKey peer = PeerKey.of(stream.remotePeer().toBytes());
    stream.setReader(
        new LengthPrefixedReader(
            maxRpcSize,
            new LengthPrefixedReader.MessageHandler() {
              @Override
              public void onMessage(Stream s, byte[] message) {
                listener.rpcReceived(peer, message);
              }

              @Override
              public void onEnd(Stream s, NetworkException cause) {
                if (cause != null) {
                  log.debug("pubsub stream from {} ended: {}", peer, cause.getMessage());
                }
              }
            }));
    // A peer that opened its stream before our connection event fired still gets ours.
    openOutbound(stream.connection());
  }

  private void openOutbound(Connection connection) {
    PeerId peer = connection.remotePeer();
    if (!connection.isOpen()
        || outbound.containsKey(peer)
        || opening.putIfAbsent(peer, Boolean.TRUE) != null) {
      return;
    }
    connection
        .newStream(PROTOCOLS)
        .whenComplete(
            (stream, error) -> {
              opening.remove(peer);
              if (error != null) {
                log.debug("{} does not speak pubsub: {}", peer, error.getMessage());
                return;
              }
              if (outbound.putIfAbsent(peer, stream) != null) {
                stream.reset();
                return;
              }
              PeerKey key = PeerKey.of(peer.toBytes());
              stream
                  .closeFuture()
                  .thenRun(
                      () -> {
                        if (outbound.remove(peer, stream)) {
                          listener.peerDisconnected(key);
                        }
                      });
              listener.peerConnected(
                  key,
                  new PeerConnection(
                      connection.direction() == Direction.OUTBOUND,
                      ipOf(connection.remoteAddress())));
            });
  }

  private static Optional<String> ipOf(Multiaddr address) {
    for (Multiaddr.Component c : address.components()) {
      String name = c.protocol().text();
      if (name.equals("ip4") || name.equals("ip6")) {
        return Optional.of(c.value());
      }
    }
    return Optional.empty();
  }

  @Override
  public void send(PeerKey peer, byte[] rpc) {
    PeerId id;
    try {
      id = PeerId.fromBytes(peer.bytes());
    } catch (org.callchain.net.InvalidKeyException e) {
      return;
    }
    Stream stream = outbound.get(id);
    if (stream == null) {
      return;
    }
    stream
        .write(LengthPrefixed.frame(rpc))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.debug("dropped an RPC to {}: {}", peer, error.getMessage());
              }
            });
  }
}
