package org.callchain.ledger.replication.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.LedgerNetwork;
import org.callchain.ledger.replication.LedgerNetworkConfig;
import org.callchain.ledger.replication.LedgerNetworkException;
import org.callchain.ledger.replication.NetworkStatus;
import org.callchain.ledger.replication.PeerStatus;
import org.callchain.ledger.replication.RejectedMessage;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LedgerNetwork} on our libp2p host and gossipsub router. Every ledger read and write, and
 * every listener call, happens on one replication thread, so validation, sync and announcements
 * never race on a replica; the host's and router's event loops only hand work to it.
 */
public final class Libp2pLedgerNetwork implements LedgerNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(Libp2pLedgerNetwork.class);

  private final LedgerNetworkConfig config;
  private final DeviceKey key;
  private final Ledger ledger;
  private final DeviceAddress own;
  private final Membership members;
  private final RegistryGate gate;
  private final Host host;
  private final ScheduledExecutorService worker;
  private final GossipValidation validation;
  private final LedgerSync sync;
  private final Clock clock = Clock.systemUTC();
  private final List<ReplicationListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<DeviceAddress, Long> lastUpdated = new HashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final Map<org.callchain.net.pubsub.PeerKey, java.util.Optional<DeviceAddress>>
      peerDevices = new java.util.concurrent.ConcurrentHashMap<>();
  private Libp2pGossipsub gossip;
  private long lastAnnounced = -1;
  private volatile boolean closed;

  private Libp2pLedgerNetwork(
      LedgerNetworkConfig config,
      DeviceKey key,
      Ledger ledger,
      DeviceRegistryClient registry,
      NodeKey nodeKey,
      Multiaddr listen) {
    this.config = config;
    this.key = key;
    this.ledger = ledger;
    this.own = key.address();
    this.members = new Membership(registry, config.auditors());
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
            st -> emit(l -> l.anchorStatementReceived(st)));
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
            submit(() -> peerStatus(c).ifPresent(p -> emit(l -> l.peerDisconnected(p))));
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
            PeerScoreParams.defaults().withAppSpecificScore(this::applicationScore, 1),
            PeerScoreThresholds.defaults());
    gossip.setValidator(config.topic(), this::validate);
    gossip.subscribe(config.topic(), m -> {});
    long every = config.antiEntropyInterval().toMillis();
    worker.scheduleWithFixedDelay(this::antiEntropy, every, every, TimeUnit.MILLISECONDS);
  }

  // ---- gossip ---------------------------------------------------------------------------------

  /**
   * Gossipsub P5 (gossipsub-v1.1.md "The Score Function"): +1 for a peer whose key is an active
   * registered device, 0 otherwise (auditors, revoked devices). Called on the router's thread.
   */
  private double applicationScore(org.callchain.net.pubsub.PeerKey peer) {
    java.util.Optional<DeviceAddress> device =
        peerDevices.computeIfAbsent(
            peer,
            p -> {
              try {
                return PeerId.fromBytes(p.bytes())
                    .embeddedPublicKey()
                    .flatMap(DeviceIds::addressOf);
              } catch (InvalidKeyException e) {
                return java.util.Optional.empty();
              }
            });
    return device.filter(members::isActiveDevice).isPresent() ? 1 : 0;
  }

  private CompletionStage<ValidationResult> validate(PubsubMessage m) {
    if (m.from().equals(gossip.self())) {
      return CompletableFuture.completedFuture(ValidationResult.ACCEPT); // our own announcement
    }
    return CompletableFuture.supplyAsync(
        () -> {
          Verdict v = validation.validate(m.data());
          PeerId from = peerId(m.receivedFrom().bytes());
          onVerdict(v, from, Delivery.GOSSIP, true);
          return v.result();
        },
        worker);
  }

  private void onVerdict(Verdict v, PeerId from, Delivery via, boolean coSign) {
    if (v.result() == ValidationResult.REJECT) {
      rejected(v, from, via);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} message from {}: {}", v.result(), via, from, v.reason());
    }
    v.evidence().ifPresent(e -> emit(l -> l.equivocationDetected(e)));
    v.witnessStored().ifPresent(w -> emit(l -> l.witnessAdded(w.checkpoint(), w.signature())));
    v.gap().ifPresent(gap -> sync.fetch(from, gap));
    if (v.appended().isPresent()) {
      Checkpoint cp = v.appended().get().checkpoint();
      long fromSize = v.appended().get().fromSize();
      lastUpdated.put(cp.device(), clock.millis());
      emit(l -> l.replicaUpdated(cp.device(), cp, fromSize, via));
      if (coSign) {
        coSign(cp);
      }
      for (Verdict released : validation.releasePending(cp.device())) {
        onVerdict(released, from, via, false);
      }
    }
  }

  /**
   * Counts, logs and reports a refused message. For gossip, gossipsub charges P4 to {@code from}
   * (gossipsub-v1.1.md "Extended Validators"); the log line names the sender's device so an
   * operator can tell a forger from a peer that relays a stale registry view.
   */
  private void rejected(Verdict v, PeerId from, Delivery via) {
    rejected.incrementAndGet();
    Verdict.Refusal refusal =
        v.refusal()
            .orElseThrow(() -> new IllegalStateException("a REJECT verdict without its refusal"));
    RejectedMessage message =
        new RejectedMessage(from, via, refusal.reason(), refusal.claimedDevice(), v.reason());
    LOG.info(
        "rejected {} message from peer {} (device {}): reason {}, claimed device {}: {}",
        via.name().toLowerCase(java.util.Locale.ROOT),
        from,
        from.embeddedPublicKey().flatMap(DeviceIds::addressOf).map(Object::toString).orElse("none"),
        refusal.reason().label(),
        refusal.claimedDevice().map(Object::toString).orElse("none"),
        v.reason());
    emit(l -> l.messageRejected(message));
  }

  /** Co-signs a checkpoint just verified, keeps the co-signature and publishes it. */
  private void coSign(Checkpoint cp) {
    WitnessSignature w = WitnessSignature.sign(key, cp, clock.millis());
    try {
      ledger.addWitnessSignature(cp, w);
    } catch (LedgerException e) {
      LOG.warn(
          "cannot store our co-signature of {} at {}: {}",
          cp.device(),
          cp.treeSize(),
          e.getMessage());
      return;
    }
    gossip
        .publish(config.topic(), ReplicationCodec.encodeWitness(new WitnessMessage(cp, w)))
        .exceptionally(
            e -> {
              LOG.debug(
                  "co-signature of {} at {} not published: {}",
                  cp.device(),
                  cp.treeSize(),
                  e.toString());
              return null;
            });
  }

  @Override
  public CompletableFuture<Integer> announce(Checkpoint ownCheckpoint) {
    return announce(ownCheckpoint, java.util.Optional.empty());
  }

  @Override
  public CompletableFuture<Integer> announce(
      Checkpoint ownCheckpoint, java.util.Optional<AnchorStatement> statement) {
    if (!ownCheckpoint.device().equals(own)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("announce takes this node's own checkpoints only"));
    }
    if (statement.isPresent() && !AnchorStatements.covers(statement.get(), ownCheckpoint)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("the anchor statement is not for this checkpoint"));
    }
    return CompletableFuture.supplyAsync(() -> commitMessage(ownCheckpoint, statement), worker)
        .thenCompose(bytes -> gossip.publish(config.topic(), bytes))
        .thenApply(r -> r.peersReached());
  }

  private byte[] commitMessage(Checkpoint cp, java.util.Optional<AnchorStatement> statement) {
    var log =
        ledger
            .log(own)
            .orElseThrow(() -> new IllegalStateException("the own log has no commits yet"));
    long size = cp.treeSize();
    if (log.size() < size || !log.root(size).equals(cp.rootHash())) {
      throw new IllegalArgumentException("checkpoint " + size + " is not one of the own log's");
    }
    long from = lastAnnounced;
    if (from < 0 || from > size) {
      List<Checkpoint> earlier = log.checkpoints(0, size);
      from = earlier.isEmpty() ? 0 : earlier.get(earlier.size() - 1).treeSize();
    }
    lastAnnounced = size;
    byte[] full =
        ReplicationCodec.encodeCommit(
            new CommitMessage(
                cp,
                from,
                log.leaves(from, size),
                from == 0 || from == size ? null : log.consistencyProof(from, size),
                statement));
    if (full.length <= ReplicationCodec.MAX_GOSSIP_BYTES
        && size - from <= ReplicationCodec.MAX_LEAVES) {
      return full;
    }
    // Too large for one gossip message: the checkpoint alone; peers fetch the leaves by sync.
    return ReplicationCodec.encodeCommit(new CommitMessage(cp, size, List.of(), null, statement));
  }

  // ---- sync -----------------------------------------------------------------------------------

  private void onPeerConnected(Connection c) {
    peerStatus(c).ifPresent(p -> emit(l -> l.peerConnected(p)));
    sync.exchangeHeads(c.remotePeer());
  }

  private void antiEntropy() {
    Set<PeerId> peers = new LinkedHashSet<>();
    for (Connection c : host.connections()) {
      peers.add(c.remotePeer());
    }
    peers.forEach(sync::exchangeHeads);
  }

  private final class SyncOutcomes implements LedgerSync.Outcomes {
    @Override
    public void handle(Verdict verdict, PeerId from, boolean coSign) {
      onVerdict(verdict, from, Delivery.SYNC, coSign);
    }

    @Override
    public void rejected(PeerId from, Verdict rejection) {
      onVerdict(rejection, from, Delivery.SYNC, false);
    }

    @Override
    public void witnessAdded(Checkpoint checkpoint, WitnessSignature witness) {
      emit(l -> l.witnessAdded(checkpoint, witness));
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
      return CompletableFuture.supplyAsync(
              () -> {
                Set<DeviceAddress> out = new java.util.TreeSet<>();
                for (Connection c : host.connections()) {
                  peerStatus(c)
                      .filter(p -> p.role() == PeerStatus.Role.DEVICE)
                      .ifPresent(p -> out.add(p.device()));
                }
                return Set.copyOf(out);
              },
              worker)
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the connected peers", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the connected peers: " + e, e);
    }
  }

  private NetworkStatus statusNow() {
    List<PeerStatus> peers = new ArrayList<>();
    for (Connection c : host.connections()) {
      peerStatus(c, true).ifPresent(peers::add);
    }
    return new NetworkStatus(
        host.peerId(),
        listenAddresses(),
        config.topic(),
        peers,
        LogStatuses.of(ledger, lastUpdated),
        rejected.get(),
        graylistedRpcs());
  }

  private long graylistedRpcs() {
    if (gossip == null) {
      return 0;
    }
    try {
      return gossip
          .stats()
          .toCompletableFuture()
          .get(2, TimeUnit.SECONDS)
          .rpcsDroppedFromGraylisted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    }
  }

  private java.util.Optional<PeerStatus> peerStatus(Connection c) {
    return peerStatus(c, false);
  }

  /** The peer's status; its gossipsub score only when asked (it waits for the router). */
  private java.util.Optional<PeerStatus> peerStatus(Connection c, boolean withScore) {
    return DeviceIds.addressOf(c.remotePublicKey())
        .map(
            d ->
                new PeerStatus(
                    c.remotePeer(),
                    d,
                    members.isAuditor(d) && !members.isActiveDevice(d)
                        ? PeerStatus.Role.AUDITOR
                        : PeerStatus.Role.DEVICE,
                    c.remoteAddress(),
                    withScore ? score(c.remotePeer()) : 0));
  }

  private double score(PeerId peer) {
    if (gossip == null) {
      return 0;
    }
    try {
      return gossip
          .score(org.callchain.net.pubsub.PeerKey.of(peer.toBytes()))
          .toCompletableFuture()
          .get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    }
  }

  @Override
  public void addListener(ReplicationListener listener) {
    listeners.add(listener);
  }

  private void emit(Consumer<ReplicationListener> event) {
    for (ReplicationListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("replication listener failed", e);
      }
    }
  }

  private void submit(Runnable task) {
    if (!closed) {
      try {
        worker.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
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
