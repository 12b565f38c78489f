package org.callchain.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link Host} needs, with defaults chosen for a company network of a few hundred
 * phones. Build with {@link #builder(NodeKey)}.
 *
 * @param key this node's identity
 * @param listenAddresses where to listen; {@code /ip4/127.0.0.1/tcp/0} picks a free port
 * @param agentVersion sent in identify
 * @param gater decides which authenticated peers may stay connected
 * @param maxConnections open connections in total (both directions); more are refused
 * @param maxConnectionsPerPeer open connections to one peer; more are refused
 * @param maxInboundStreamsPerConnection concurrent streams the peer may open; more are reset
 * @param maxPendingWriteBytes bytes a stream may queue beyond the peer's window before writes fail
 * @param upgradeTimeout time for multistream + Noise + gating + muxer negotiation of a new
 *     connection, and for multistream on a new stream
 * @param keepAliveInterval yamux ping interval; a connection whose ping is unanswered for this long
 *     is closed
 * @param bootstrapPeers peers to stay connected to ({@code /p2p/} required), redialled with backoff
 * @param reconnectInitialBackoff first redial delay, doubled on each failure
 * @param reconnectMaxBackoff cap of the redial delay
 */
public record HostConfig(
    NodeKey key,
    List<Multiaddr> listenAddresses,
    String agentVersion,
    ConnectionGater gater,
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxInboundStreamsPerConnection,
    int maxPendingWriteBytes,
    Duration upgradeTimeout,
    Duration keepAliveInterval,
    List<Multiaddr> bootstrapPeers,
    Duration reconnectInitialBackoff,
    Duration reconnectMaxBackoff) {

  public HostConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(gater, "gater");
    listenAddresses = List.copyOf(listenAddresses);
    bootstrapPeers = List.copyOf(bootstrapPeers);
    for (Multiaddr peer : bootstrapPeers) {
      if (peer.peerId().isEmpty()) {
        throw new IllegalArgumentException("bootstrap peer needs /p2p/<peer-id>: " + peer);
      }
    }
    if (maxConnections < 1
        || maxConnectionsPerPeer < 1
        || maxInboundStreamsPerConnection < 1
        || maxPendingWriteBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static Builder builder(NodeKey key) {
    return new Builder(key);
  }

  /** A builder starting from the defaults. */
  public static final class Builder {
    private final NodeKey key;
    private List<Multiaddr> listenAddresses = List.of(loopback());
    private String agentVersion = "callchain/0.1.0";
    private ConnectionGater gater = ConnectionGater.ALLOW_ALL;
    private int maxConnections = 256;
    private int maxConnectionsPerPeer = 2;
    private int maxInboundStreamsPerConnection = 256;
    private int maxPendingWriteBytes = 4 * 1024 * 1024;
    private Duration upgradeTimeout = Duration.ofSeconds(10);
    private Duration keepAliveInterval = Duration.ofSeconds(30);
    private List<Multiaddr> bootstrapPeers = List.of();
    private Duration reconnectInitialBackoff = Duration.ofSeconds(1);
    private Duration reconnectMaxBackoff = Duration.ofMinutes(1);

    private Builder(NodeKey key) {
      this.key = key;
    }

    private static Multiaddr loopback() {
      try {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
      } catch (InvalidMultiaddrException e) {
        throw new IllegalStateException(e);
      }
    }

    public Builder listenAddresses(List<Multiaddr> value) {
      listenAddresses = value;
      return this;
    }

    public Builder agentVersion(String value) {
      agentVersion = value;
      return this;
    }

    public Builder gater(ConnectionGater value) {
      gater = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder maxConnectionsPerPeer(int value) {
      maxConnectionsPerPeer = value;
      return this;
    }

    public Builder maxInboundStreamsPerConnection(int value) {
      maxInboundStreamsPerConnection = value;
      return this;
    }

    public Builder maxPendingWriteBytes(int value) {
      maxPendingWriteBytes = value;
      return this;
    }

    public Builder upgradeTimeout(Duration value) {
      upgradeTimeout = value;
      return this;
    }

    public Builder keepAliveInterval(Duration value) {
      keepAliveInterval = value;
      return this;
    }

    public Builder bootstrapPeers(List<Multiaddr> value) {
      bootstrapPeers = value;
      return this;
    }

    public Builder reconnectBackoff(Duration initial, Duration max) {
      reconnectInitialBackoff = initial;
      reconnectMaxBackoff = max;
      return this;
    }

    public HostConfig build() {
      return new HostConfig(
          key,
          listenAddresses,
          agentVersion,
          gater,
          maxConnections,
          maxConnectionsPerPeer,
          maxInboundStreamsPerConnection,
          maxPendingWriteBytes,
          upgradeTimeout,
          keepAliveInterval,
          bootstrapPeers,
          reconnectInitialBackoff,
          reconnectMaxBackoff);
    }
  }
}
