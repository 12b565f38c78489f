package org.callchain.ledger.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.callchain.chain.AnchorContract;
import org.callchain.identity.DeviceAddress;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.Multiaddr;

/**
 * How a node joins its company's ledger network. Build with {@link #builder(String)}; every value
 * has a documented default.
 *
 * @param networkName the company network's name; peers of one network share {@link #topic()}
 * @param topic the gossipsub topic for commits, default {@code callchain/<networkName>/commits/1}
 * @param listenHost IP address to listen on, default {@code 0.0.0.0}
 * @param listenPort TCP port, default 4001; 0 picks a free one
 * @param bootstrapPeers peers to stay connected to, {@code /ip4/…/tcp/…/p2p/<id>}, default none
 * @param auditors addresses of keys that may connect without being registered devices (auditor
 *     keys, secp256k1), default none
 * @param heartbeatInterval gossipsub heartbeat, default 1 s (gossipsub v1.0 "Parameters")
 * @param syncTimeout time for one sync request to be answered, default 10 s
 * @param syncPageLeaves leaves asked for per sync request, default 1000
 * @param antiEntropyInterval how often heads are exchanged with connected peers besides on connect,
 *     default 30 s
 * @param reconnectMaxBackoff cap of the bootstrap redial delay (doubling from 1 s), default 60 s
 * @param anchorContract the anchor contract that commits' anchor statements must be bound to (ADR
 *     0093); empty (the default): statements are neither checked nor passed on
 */
public record LedgerNetworkConfig(
    String networkName,
    String topic,
    String listenHost,
    int listenPort,
    List<Multiaddr> bootstrapPeers,
    Set<DeviceAddress> auditors,
    Duration heartbeatInterval,
    Duration syncTimeout,
    int syncPageLeaves,
    Duration antiEntropyInterval,
    Duration reconnectMaxBackoff,
    Optional<AnchorContract> anchorContract) {

  public LedgerNetworkConfig {
    Objects.requireNonNull(anchorContract, "anchorContract");
    Objects.requireNonNull(networkName, "networkName");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(listenHost, "listenHost");
    bootstrapPeers = List.copyOf(bootstrapPeers);
    auditors = Set.copyOf(auditors);
    if (networkName.isBlank() || topic.isBlank()) {
      throw new IllegalArgumentException("network name and topic must not be blank");
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port must be 0..65535, got " + listenPort);
    }
    for (Multiaddr peer : bootstrapPeers) {
      if (peer.peerId().isEmpty()) {
        throw new IllegalArgumentException("bootstrap peer needs /p2p/<peer-id>: " + peer);
      }
    }
    if (syncPageLeaves < 1) {
      throw new IllegalArgumentException("sync page size must be positive");
    }
    for (Duration d : List.of(heartbeatInterval, syncTimeout, antiEntropyInterval)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("intervals and timeouts must be positive");
      }
    }
  }

  /** The default topic of a network. */
  public static String defaultTopic(String networkName) {
    return "callchain/" + networkName + "/commits/1";
  }

  public static Builder builder(String networkName) {
    return new Builder(networkName);
  }

  /** A builder starting from the defaults. */
  public static final class Builder {
    private final String networkName;
    private String topic;
    private String listenHost = "0.0.0.0";
    private int listenPort = 4001;
    private List<Multiaddr> bootstrapPeers = List.of();
    private Set<DeviceAddress> auditors = Set.of();
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration syncTimeout = Duration.ofSeconds(10);
    private int syncPageLeaves = 1000;
    private Duration antiEntropyInterval = Duration.ofSeconds(30);
    private Duration reconnectMaxBackoff = Duration.ofMinutes(1);
    private Optional<AnchorContract> anchorContract = Optional.empty();

    private Builder(String networkName) {
      this.networkName = networkName;
    }

    public Builder topic(String value) {
      topic = value;
      return this;
    }

    public Builder listen(String host, int port) {
      listenHost = host;
      listenPort = port;
      return this;
    }

    public Builder bootstrapPeers(List<Multiaddr> value) {
      bootstrapPeers = value;
      return this;
    }

    /**
     * Bootstrap peers from their text form.
     *
     * @throws IllegalArgumentException naming the first address that does not parse
     */
    public Builder bootstrapPeerAddresses(Collection<String> addresses) {
      List<Multiaddr> parsed = new ArrayList<>();
      for (String a : addresses) {
        try {
          parsed.add(Multiaddr.parse(a));
        } catch (InvalidMultiaddrException e) {
          throw new IllegalArgumentException(
              "bootstrap peer is not a multiaddr: " + a + " (" + e.getMessage() + ")", e);
        }
      }
      bootstrapPeers = parsed;
      return this;
    }

    public Builder auditors(Collection<DeviceAddress> value) {
      auditors = Set.copyOf(value);
      return this;
    }

    public Builder heartbeatInterval(Duration value) {
      heartbeatInterval = value;
      return this;
    }

    public Builder syncTimeout(Duration value) {
      syncTimeout = value;
      return this;
    }

    public Builder syncPageLeaves(int value) {
      syncPageLeaves = value;
      return this;
    }

    public Builder antiEntropyInterval(Duration value) {
      antiEntropyInterval = value;
      return this;
    }

    public Builder reconnectMaxBackoff(Duration value) {
      reconnectMaxBackoff = value;
      return this;
    }

    public Builder anchorContract(AnchorContract value) {
      anchorContract = Optional.of(value);
      return this;
    }

    public LedgerNetworkConfig build() {
      return new LedgerNetworkConfig(
          networkName,
          topic != null ? topic : defaultTopic(networkName),
          listenHost,
          listenPort,
          bootstrapPeers,
          auditors,
          heartbeatInterval,
          syncTimeout,
          syncPageLeaves,
          antiEntropyInterval,
          reconnectMaxBackoff,
          anchorContract);
    }
  }
}
