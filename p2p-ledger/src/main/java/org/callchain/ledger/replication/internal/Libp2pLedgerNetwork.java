package org.callchain.ledger.replication.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.LedgerNetwork;
import org.callchain.ledger.replication.LedgerNetworkConfig;
import org.callchain.ledger.replication.LedgerNetworkException;
import org.callchain.ledger.replication.NetworkStatus;
import org.callchain.ledger.replication.PeerStatus;
import org.callchain.ledger.replication.ReplicationListener;
import org.callchain.net.Connection;
import org.callchain.net.ConnectionListener;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.Multiaddr;
import org.callchain.net.NodeKey;
import org.callchain.net.PeerId;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.ValidationResult;
import org.callchain.net.pubsub.internal.libp2p.Libp2pGossipsub;

/**
 * {@link LedgerNetwork} on our libp2p host and gossipsub router. Every ledger read and write, and
 * every listener call, happens on one replication thread, so validation, sync and announcements
 * never race on a replica; the host's and router's event loops only hand work to it. This class
 * wires the host, router and sync together; {@link CheckpointPublisher} publishes, {@link
 * DeliveryVerdicts} acts on what arrives, {@link PeerStatuses} says who the peers are and {@link
 * ReplicationEvents} calls the listeners.
 */
public final class Libp2pLedgerNetwork implements LedgerNetwork {
  private final LedgerNetworkConfig config;
  private final Ledger ledger;
  private final RegistryGate gate;
  private final Host host;
  private final ScheduledExecutorService worker;
  private final GossipValidation validation;
  private final LedgerSync sync;
  private final ReplicationEvents events = new ReplicationEvents();
  private final CheckpointPublisher publisher;
  private final DeliveryVerdicts verdicts;
  private final PeerStatuses peers;
  private Libp2pGossipsub gossip;
  private volatile boolean closed;

  private Libp2pLedgerNetwork(
      LedgerNetworkConfig config,
      DeviceKey key,
      Ledger ledger,
      DeviceRegistryClient registry,
      NodeKey nodeKey,
      Multiaddr listen) {
    this.config = config;
    this.ledger = ledger;
    DeviceAddress own = key.address();
    Membership members = new Membership(registry, config.auditors());
    this.gate = new RegistryGate(members);
    this.host =
        new Libp2pHost(
            HostConfig.builder(nodeKey)
                .listenAddresses(List.of(listen))
                .gater(gate)
                .bootstrapPeers(config.bootstrapPeers())
                .reconnectBackoff(
                    min(Duration.ofSeconds(1), config.reconnectMaxBackoff()),
                    config.reconnectMaxBackoff())
                .build());
    gate.attach(host);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ledger-replication-" + own);
              t.setDaemon(true);
              return t;
            });
    this.validation =
        new GossipValidation(
            ledger,
            own,
            members,
            config.anchorContract(),
            st -> events.emit(l -> l.anchorStatementReceived(st)));
    this.sync =
        new LedgerSync(
            host,
            ledger,
            own,
            validation,
            worker,
            config.syncTimeout(),
            config.syncPageLeaves(),
            new SyncOutcomes());
    this.publisher = new CheckpointPublisher(config.topic(), key, ledger);
    this.verdicts = new DeliveryVerdicts(validation, sync, publisher, events);
    this.peers = new PeerStatuses(host, members);
    registry.addListener(gate::deviceChanged);
  }

  /** See {@link LedgerNetwork#start}. */
  public static LedgerNetwork start(
      LedgerNetworkConfig config, DeviceKey key, Ledger ledger, DeviceRegistryClient registry)
      throws LedgerNetworkException {
    if (ledger.ownDevice().filter(d -> !d.equals(key.address())).isPresent()) {
      throw new IllegalArgumentException(
          "the ledger belongs to " + ledger.ownDevice().get() + ", not to " + key.address());
    }
    Multiaddr listen;
    try {
      String proto = config.listenHost().contains(":") ? "ip6" : "ip4";
      listen =
          Multiaddr.parse("/" + proto + "/" + config.listenHost() + "/tcp/" + config.listenPort());
    } catch (InvalidMultiaddrException e) {
      throw new LedgerNetworkException("invalid listen host " + config.listenHost(), e);
    }
    Libp2pLedgerNetwork net =
        new Libp2pLedgerNetwork(config, key, ledger, registry, key.networkKey(), listen);
    net.startNetwork(key.networkKey(), listen);
    return net;
  }

  private void startNetwork(NodeKey nodeKey, Multiaddr listen) throws LedgerNetworkException {
    sync.serve();
    host.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onConnected(Connection c) {
            submit(() -> onPeerConnected(c));
          }

          @Override
          public void onDisconnected(Connection c) {
            submit(() -> peers.of(c).ifPresent(p -> events.emit(l -> l.peerDisconnected(p))));
          }
        });
    try {
      host.start().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new LedgerNetworkException("cannot listen on " + listen + ": " + cause.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly();
      throw new LedgerNetworkException("interrupted while starting", e);
    }
    gossip =
        Libp2pGossipsub.start(
            host,
            nodeKey,
            GossipParams.builder()
                .heartbeatInterval(config.heartbeatInterval())
                .maxMessageSize(ReplicationCodec.MAX_GOSSIP_BYTES)
                .build(),
            PeerScoreParams.defaults().withAppSpecificScore(peers::applicationScore, 1),
            PeerScoreThresholds.defaults());
    publisher.attach(gossip);
    peers.attach(gossip);
    gossip.setValidator(config.topic(), this::validate);
    gossip.subscribe(config.topic(), m -> {});
    long every = config.antiEntropyInterval().toMillis();
    worker.scheduleWithFixedDelay(this::antiEntropy, every, every, TimeUnit.MILLISECONDS);
  }

  // ---- gossip ---------------------------------------------------------------------------------

  private CompletionStage<ValidationResult> validate(PubsubMessage m) {
    if (m.from().equals(gossip.self())) {
      return CompletableFuture.completedFuture(ValidationResult.ACCEPT); // our own announcement
    }
    return CompletableFuture.supplyAsync(
        () -> {
          Verdict v = validation.validate(m.data());
          PeerId from = peerId(m.receivedFrom().bytes());
          verdicts.handle(v, from, Delivery.GOSSIP, true);
          return v.result();
        },
        worker);
  }

  @Override
  public CompletableFuture<Integer> announce(Checkpoint ownCheckpoint) {
    return announce(ownCheckpoint, Optional.empty());
  }

  @Override
  public CompletableFuture<Integer> announce(
      Checkpoint ownCheckpoint, Optional<AnchorStatement> statement) {
    return publisher.announce(ownCheckpoint, statement, worker);
  }

  // ---- sync -----------------------------------------------------------------------------------

  private void onPeerConnected(Connection c) {
    peers.of(c).ifPresent(p -> events.emit(l -> l.peerConnected(p)));
    sync.exchangeHeads(c.remotePeer());
  }

  private void antiEntropy() {
    Set<PeerId> connected = new LinkedHashSet<>();
    for (Connection c : host.connections()) {
      connected.add(c.remotePeer());
    }
    connected.forEach(sync::exchangeHeads);
  }

  private final class SyncOutcomes implements LedgerSync.Outcomes {
    @Override
    public void handle(Verdict verdict, PeerId from, boolean coSign) {
      verdicts.handle(verdict, from, Delivery.SYNC, coSign);
    }

    @Override
    public void rejected(PeerId from, Verdict rejection) {
      verdicts.handle(rejection, from, Delivery.SYNC, false);
    }

    @Override
    public void witnessAdded(Checkpoint checkpoint, WitnessSignature witness) {
      events.emit(l -> l.witnessAdded(checkpoint, witness));
    }
  }

  // ---- status, listeners, lifecycle -----------------------------------------------------------

  @Override
  public PeerId peerId() {
    return host.peerId();
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    host.listenAddresses().forEach(a -> out.add(a.withPeerId(host.peerId())));
    return out;
  }

  @Override
  public NetworkStatus status() {
    try {
      return CompletableFuture.supplyAsync(this::statusNow, worker).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the network status", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the network status: " + e, e);
    }
  }

  @Override
  public Set<DeviceAddress> connectedDevices() {
    try {
      return CompletableFuture.supplyAsync(peers::connectedDevices, worker)
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the connected peers", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the connected peers: " + e, e);
    }
  }

  private NetworkStatus statusNow() {
    List<PeerStatus> connected = new ArrayList<>();
    for (Connection c : host.connections()) {
      peers.of(c, true).ifPresent(connected::add);
    }
    return new NetworkStatus(
        host.peerId(),
        listenAddresses(),
        config.topic(),
        connected,
        LogStatuses.of(ledger, verdicts.lastUpdated()),
        verdicts.rejectedCount(),
        peers.graylistedRpcs());
  }

  @Override
  public void addListener(ReplicationListener listener) {
    events.add(listener);
  }

  private void submit(Runnable task) {
    if (!closed) {
      try {
        worker.execute(task);
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
  }

  private static PeerId peerId(byte[] bytes) {
    try {
      return PeerId.fromBytes(bytes);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("the router hands out valid peer ids", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closeQuietly();
  }

  private void closeQuietly() {
    closed = true;
    gate.close();
    if (gossip != null) {
      gossip.close();
    }
    host.close();
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
