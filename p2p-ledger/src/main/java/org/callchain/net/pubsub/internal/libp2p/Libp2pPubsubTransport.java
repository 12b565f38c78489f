package org.callchain.net.pubsub.internal.libp2p;

import java.util.ArrayList;
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
 * <p>A peer becomes "connected" for the router as soon as either stream exists, so that the hello
 * RPC (its subscriptions) on an inbound stream that wins the race against our own stream is not
 * lost; frames for the peer wait in a bounded queue until our stream is negotiated. The peer is
 * "disconnected" when our stream ends or could not be opened, or the last connection closes. Writes
 * that the stream cannot queue (a peer that does not read) are dropped: gossip repairs the loss,
 * and the router's scoring deals with a peer that never delivers.
 */
public final class Libp2pPubsubTransport implements PubsubTransport {
  /** The protocol ids we speak, preferred first. */
  public static final List<String> PROTOCOLS = List.of("/meshsub/1.1.0", "/meshsub/1.0.0");

  private static final Logger log = LoggerFactory.getLogger(Libp2pPubsubTransport.class);

  /** Frames queued for a peer whose stream is still being negotiated, at most this many bytes. */
  private static final int MAX_PENDING_BYTES = 4 << 20;

  private final Host host;
  private final int maxRpcSize;
  private final Map<PeerId, PeerChannel> peers = new ConcurrentHashMap<>();

  /**
   * The same channels by the router's key: {@link #send} runs once per copy of every message, and
   * parsing a peer id validates its inlined key (a secp256k1 point decompression) each time.
   */
  private final Map<PeerKey, PeerChannel> channelsByKey = new ConcurrentHashMap<>();

  private volatile Listener listener;
  private final ConnectionListener connectionEvents =
      new ConnectionListener() {
        @Override
        public void onConnected(Connection connection) {
          openOutbound(connection);
        }

        @Override
        public void onDisconnected(Connection connection) {
          PeerId peer = connection.remotePeer();
          if (!host.isConnected(peer)) {
            PeerChannel channel = peers.get(peer);
            if (channel != null) {
              drop(peer, channel);
            }
          }
        }
      };

  /** Our side of the pubsub link to one peer. Guarded by itself. */
  private static final class PeerChannel {
    final PeerKey key;
    Stream outbound;
    final List<Stream> inbound = new ArrayList<>();
    boolean opening;
    boolean announced;
    final List<byte[]> pending = new ArrayList<>();
    int pendingBytes;

    PeerChannel(PeerKey key) {
      this.key = key;
    }
  }

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
    host.addConnectionListener(connectionEvents);
    for (Connection c : host.connections()) {
      openOutbound(c);
    }
  }

  /**
   * Stops serving pubsub on the host, which stays up for other protocols: the protocol handlers and
   * the connection listener go, and our streams are reset.
   */
  public void stop() {
    for (String protocol : PROTOCOLS) {
      host.removeStreamHandler(protocol);
    }
    host.removeConnectionListener(connectionEvents);
    for (Map.Entry<PeerId, PeerChannel> e : List.copyOf(peers.entrySet())) {
      drop(e.getKey(), e.getValue());
    }
  }

  private PeerChannel channel(PeerId peer) {
    return peers.computeIfAbsent(
        peer,
        p -> {
          PeerChannel created = new PeerChannel(PeerKey.of(p.toBytes()));
          channelsByKey.put(created.key, created);
          return created;
        });
  }

  /** Tells the router about the peer once, before any of its frames. */
  private void announce(PeerChannel channel, Connection connection) {
    synchronized (channel) {
      if (channel.announced) {
        return;
      }
      channel.announced = true;
    }
    listener.peerConnected(
        channel.key,
        new PeerConnection(
            connection.direction() == Direction.OUTBOUND, ipOf(connection.remoteAddress())));
  }

  /** Forgets the peer (once) and tells the router if it knew it. */
  private void drop(PeerId peer, PeerChannel channel) {
    if (!peers.remove(peer, channel)) {
      return;
    }
    channelsByKey.remove(channel.key, channel);
    Stream stream;
    List<Stream> inbound;
    boolean announced;
    synchronized (channel) {
      stream = channel.outbound;
      inbound = List.copyOf(channel.inbound);
      announced = channel.announced;
      channel.pending.clear();
    }
    if (stream != null) {
      stream.reset();
    }
    // Resetting the peer's stream too tells it we are gone from pubsub (its outbound stream ends).
    inbound.forEach(Stream::reset);
    if (announced) {
      listener.peerDisconnected(channel.key);
    }
  }

  private void acceptInbound(Stream stream) {
    PeerChannel channel = channel(stream.remotePeer());
    synchronized (channel) {
      channel.inbound.add(stream);
    }
    stream
        .closeFuture()
        .thenRun(
            () -> {
              synchronized (channel) {
                channel.inbound.remove(stream);
              }
            });
    announce(channel, stream.connection());
    stream.setReader(
        new LengthPrefixedReader(
            maxRpcSize,
            new LengthPrefixedReader.MessageHandler() {
              @Override
              public void onMessage(Stream s, byte[] message) {
                listener.rpcReceived(channel.key, message);
              }

              @Override
              public void onEnd(Stream s, NetworkException cause) {
                if (cause != null) {
                  log.debug("pubsub stream from {} ended: {}", channel.key, cause.getMessage());
                }
              }
            }));
    // A peer that opened its stream before our connection event fired still gets ours.
    openOutbound(stream.connection());
  }

  private void openOutbound(Connection connection) {
    PeerId peer = connection.remotePeer();
    if (!connection.isOpen()) {
      return;
    }
    PeerChannel channel = channel(peer);
    synchronized (channel) {
      if (channel.outbound != null || channel.opening) {
        return;
      }
      channel.opening = true;
    }
    connection
        .newStream(PROTOCOLS)
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                log.debug("no pubsub stream to {}: {}", peer, error.getMessage());
                synchronized (channel) {
                  channel.opening = false;
                }
                drop(peer, channel);
                return;
              }
              List<byte[]> backlog;
              synchronized (channel) {
                channel.opening = false;
                channel.outbound = stream;
                backlog = new ArrayList<>(channel.pending);
                channel.pending.clear();
                channel.pendingBytes = 0;
              }
              if (peers.get(peer) != channel) {
                stream.reset(); // dropped while we negotiated
                return;
              }
              stream.closeFuture().thenRun(() -> drop(peer, channel));
              announce(channel, connection);
              backlog.forEach(frame -> write(channel, stream, frame));
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
    PeerChannel channel = channelsByKey.get(peer);
    if (channel == null) {
      return;
    }
    byte[] frame = LengthPrefixed.frame(rpc);
    Stream stream;
    synchronized (channel) {
      stream = channel.outbound;
      if (stream == null) {
        if (channel.pendingBytes + frame.length <= MAX_PENDING_BYTES) {
          channel.pending.add(frame);
          channel.pendingBytes += frame.length;
        }
        return;
      }
    }
    write(channel, stream, frame);
  }

  private static void write(PeerChannel channel, Stream stream, byte[] frame) {
    stream
        .write(frame)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.debug("dropped an RPC to {}: {}", channel.key, error.getMessage());
              }
            });
  }
}
