package org.callchain.net.internal.libp2p;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.callchain.net.Connection;
import org.callchain.net.ConnectionListener;
import org.callchain.net.Direction;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.IdentifyInfo;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.Multiaddr;
import org.callchain.net.NetworkException;
import org.callchain.net.PeerId;
import org.callchain.net.Stream;
import org.callchain.net.StreamHandler;
import org.callchain.net.internal.yamux.YamuxStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty implementation of {@link Host}. One NIO event-loop group carries every connection of
 * this host; each connection stays on one loop thread, so its upgrade, yamux session and streams
 * need no locks. Identify and ping are ordinary stream handlers registered at construction.
 */
public final class Libp2pHost implements Host {
  private static final Logger LOG = LoggerFactory.getLogger(Libp2pHost.class);

  private final HostConfig config;
  private final PeerId peerId;
  private final EventLoopGroup group;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Map<PeerId, List<Libp2pConnection>> connections = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> boundAddresses = new CopyOnWriteArrayList<>();
  private final AtomicInteger openChannels = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final BootstrapReconnector reconnector;

  public Libp2pHost(HostConfig config) {
    this.config = config;
    this.peerId = config.key().peerId();
    this.group = new NioEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()));
    this.reconnector = new BootstrapReconnector(this, group.next());
    handlers.put(IdentifyProtocol.ID, IdentifyProtocol.handler(this));
    handlers.put(PingProtocol.ID, PingProtocol.handler());
  }

  HostConfig config() {
    return config;
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> binds = new ArrayList<>();
    for (Multiaddr address : config.listenAddresses()) {
      InetSocketAddress socket;
      try {
        socket = address.toTcpSocketAddress();
      } catch (InvalidMultiaddrException e) {
        return CompletableFuture.failedFuture(e);
      }
      ServerBootstrap server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(initializer(Direction.INBOUND, Optional.empty(), null));
      CompletableFuture<Void> bound = new CompletableFuture<>();
      server
          .bind(socket)
          .addListener(
              (ChannelFuture f) -> {
                if (f.isSuccess()) {
                  serverChannels.add(f.channel());
                  boundAddresses.add(toMultiaddr(f.channel().localAddress()));
                  bound.complete(null);
                } else {
                  bound.completeExceptionally(
                      new NetworkException("cannot listen on " + address, f.cause()));
                }
              });
      binds.add(bound);
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new))
        .thenRun(reconnector::start);
  }

  @Override
  public CompletableFuture<Void> stop() {
    if (!stopped.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    reconnector.stop();
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Channel server : serverChannels) {
      server.close();
    }
    for (List<Libp2pConnection> list : connections.values()) {
      for (Libp2pConnection connection : list) {
        closing.add(connection.close());
      }
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, 2, TimeUnit.SECONDS)
        .whenComplete(
            (ok, e) ->
                group
                    .shutdownGracefully(0, 1, TimeUnit.SECONDS)
                    .addListener(f -> done.complete(null)));
    return done;
  }

  @Override
  public void close() {
    stop().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(boundAddresses);
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    Optional<PeerId> expected = address.peerId();
    if (expected.isPresent()) {
      if (expected.get().equals(peerId)) {
        return CompletableFuture.failedFuture(new NetworkException("refusing to dial ourselves"));
      }
      Optional<Libp2pConnection> existing = connectionTo(expected.get());
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
    }
    if (stopped.get()) {
      return CompletableFuture.failedFuture(new NetworkException("host is stopped"));
    }
    InetSocketAddress socket;
    try {
      socket = address.toTcpSocketAddress();
    } catch (InvalidMultiaddrException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.upgradeTimeout().toMillis())
        .handler(initializer(Direction.OUTBOUND, expected, result))
        .connect(socket)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(
                    new NetworkException("cannot connect to " + address, f.cause()));
              }
            });
    return result;
  }

  private ChannelInitializer<SocketChannel> initializer(
      Direction direction, Optional<PeerId> expected, CompletableFuture<Connection> result) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        if (openChannels.incrementAndGet() > config.maxConnections() || stopped.get()) {
          openChannels.decrementAndGet();
          LOG.debug("connection limit reached; refusing {}", channel.remoteAddress());
          if (result != null) {
            result.completeExceptionally(new NetworkException("connection limit reached"));
          }
          channel.close();
          return;
        }
        channel.closeFuture().addListener(f -> openChannels.decrementAndGet());
        ConnectionUpgrader upgrader = new ConnectionUpgrader(Libp2pHost.this, direction, expected);
        upgrader.install(channel);
        if (result != null) {
          upgrader
              .result()
              .whenComplete(
                  (connection, error) -> {
                    if (error != null) {
                      result.completeExceptionally(error);
                    } else {
                      result.complete(connection);
                    }
                  });
        }
      }
    };
  }

  @Override
  public void setStreamHandler(String protocolId, StreamHandler handler) {
    handlers.put(protocolId, handler);
  }

  @Override
  public void removeStreamHandler(String protocolId) {
    handlers.remove(protocolId);
  }

  /** The protocols we serve, as identify lists them. */
  List<String> protocols() {
    return handlers.keySet().stream().sorted().toList();
  }

  @Override
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocolIds) {
    Optional<Libp2pConnection> connection = connectionTo(peer);
    if (connection.isEmpty()) {
      return CompletableFuture.failedFuture(new NetworkException("not connected to " + peer));
    }
    return connection.get().newStream(protocolIds);
  }

  @Override
  public Collection<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    connections.values().forEach(all::addAll);
    return all;
  }

  @Override
  public boolean isConnected(PeerId peer) {
    return connectionTo(peer).isPresent();
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionListener(ConnectionListener listener) {
    listeners.remove(listener);
  }

  @Override
  public CompletableFuture<Duration> ping(PeerId peer) {
    return newStream(peer, List.of(PingProtocol.ID)).thenCompose(PingProtocol::roundTrip);
  }

  @Override
  public CompletableFuture<IdentifyInfo> identify(PeerId peer) {
    return newStream(peer, List.of(IdentifyProtocol.ID)).thenCompose(IdentifyProtocol::request);
  }

  int connectionCount(PeerId peer) {
    List<Libp2pConnection> list = connections.get(peer);
    return list == null ? 0 : (int) list.stream().filter(Libp2pConnection::isOpen).count();
  }

  private Optional<Libp2pConnection> connectionTo(PeerId peer) {
    List<Libp2pConnection> list = connections.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    return list.stream().filter(Libp2pConnection::isOpen).findFirst();
  }

  void onConnectionEstablished(Libp2pConnection connection) {
    if (stopped.get()) {
      connection.close();
      return;
    }
    connections
        .computeIfAbsent(connection.remotePeer(), p -> new CopyOnWriteArrayList<>())
        .add(connection);
    LOG.debug("connected {}", connection);
    connection
        .closeFuture()
        .whenComplete(
            (ok, e) -> {
              connections.computeIfPresent(
                  connection.remotePeer(),
                  (p, list) -> {
                    list.remove(connection);
                    return list.isEmpty() ? null : list;
                  });
              LOG.debug("disconnected {}", connection);
              for (ConnectionListener listener : listeners) {
                notify(() -> listener.onDisconnected(connection));
              }
            });
    for (ConnectionListener listener : listeners) {
      notify(() -> listener.onConnected(connection));
    }
  }

  void onInboundStream(Libp2pConnection connection, YamuxStream stream) {
    StreamNegotiation.inbound(
        stream,
        handlers::get,
        this::protocols,
        config.upgradeTimeout(),
        connection.channel().eventLoop());
  }

  private static void notify(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("connection listener failed", e);
    }
  }

  static Multiaddr toMultiaddr(SocketAddress address) {
    return Multiaddr.tcp((InetSocketAddress) address);
  }
}
