package org.callchain.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.callchain.chain.ChainException;
import org.callchain.identity.KeystoreException;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.CorruptStoreException;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.replication.LedgerNetwork;
import org.callchain.ledger.replication.LedgerNetworkConfig;
import org.callchain.ledger.replication.LedgerNetworkException;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaEngines;
import org.callchain.node.admission.IdentityAdmission;
import org.callchain.node.admission.IdentitySigner;
import org.callchain.node.admission.UnreachablePolicy;
import org.callchain.node.config.NodeConfig;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.PhoneException;
import org.callchain.phone.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Callchain node: ledger → chain (registry and anchor service) → libp2p replication →
 * phone (its INVITEs signed by {@link IdentitySigner}, incoming ones admitted by {@link
 * IdentityAdmission} against the registry) → control HTTP, started in that order and closed in
 * reverse. After every commit the anchor service hears of the new checkpoint and the network
 * announces it. The wiring only; each piece is built by its own module.
 */
public final class CallchainNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallchainNode.class);

  /** Why a node could not start; the message is one line for the user. */
  public static final class StartException extends Exception {
    public StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final NodeConfig config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final NodeMetrics metrics = new NodeMetrics();
  private NodeIdentity identity;
  private Ledger ledger;
  private DeviceLog ownLog;
  private LedgerCallSink sink;
  private NodeChain chain;
  private LedgerNetwork network;
  private NodeCalls calls;
  private Phone phone;
  private ControlServer control;

  private CallchainNode(NodeConfig config) {
    this.config = config;
  }

  /** Starts every part; on any failure, what was started is closed again. */
  public static CallchainNode start(NodeConfig config) throws StartException {
    CallchainNode node = new CallchainNode(config);
    try {
      node.startParts();
      return node;
    } catch (StartException | RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startParts() throws StartException {
    try {
      identity = NodeIdentity.unlock(config);
    } catch (KeystoreException e) {
      throw new StartException(e.getMessage(), e);
    }
    startLedger();
    try {
      chain = NodeChain.start(config, identity);
    } catch (ChainException e) {
      throw new StartException("chain: " + e.getMessage(), e);
    }
    started.push(chain);
    // The anchor cadence counts in memory: records committed before a restart and not yet queued
    // are offered again, so that they are anchored on the cadence and not only with the next call.
    ownLog.latestCheckpoint().ifPresent(chain::committed);
    startReplication();
    startSink();
    startPhone();
    try {
      control = ControlServer.start(config.control(), this);
    } catch (IOException e) {
      throw new StartException(
          "control: cannot listen on "
              + config.control().host()
              + ":"
              + config.control().port()
              + ": "
              + e.getMessage(),
          e);
    }
    started.push(control);
    registerGauges();
    releaseStartupHeap();
  }

  /**
   * Hands the heap that start-up needed (scrypt's 64 MiB, contract ABI parsing) back to the OS and
   * keeps the heap close to its live size from then on: a node holds little live data (about 20 MB)
   * and the issue bounds its resident memory. The free-ratio bounds are HotSpot's manageable flags,
   * set here rather than in every launcher; the serial collector shrinks the old generation in
   * damped steps over consecutive full collections (0%, 10%, 40%, then all of the excess), so it
   * takes four to return the start-up peak.
   */
  private static void releaseStartupHeap() {
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      hotspot.setVMOption("MinHeapFreeRatio", "10");
      hotspot.setVMOption("MaxHeapFreeRatio", "30");
    } catch (RuntimeException e) {
      LOG.debug("heap free ratios left as they are: {}", e.toString());
    }
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
  }

  private void startLedger() throws StartException {
    try {
      LedgerStore store = Ledgers.rocksDbStore(config.resolve(config.ledger().dir()));
      try {
        ledger = Ledgers.open(store, Clock.systemUTC());
      } catch (CorruptStoreException e) {
        store.close();
        throw e;
      }
      started.push(ledger);
      ownLog = ledger.ownLog(identity.key());
    } catch (LedgerException e) {
      throw new StartException("ledger: " + e.getMessage(), e);
    }
  }

  private void startReplication() throws StartException {
    NodeConfig.P2p p = config.p2p();
    LedgerNetworkConfig net =
        LedgerNetworkConfig.builder(p.network())
            .listen(p.host(), p.port())
            .bootstrapPeerAddresses(p.bootstrap())
            .auditors(
                p.auditors().stream().map(org.callchain.identity.DeviceAddress::parse).toList())
            .anchorContract(chain.anchorContract)
            .build();
    try {
      network = LedgerNetwork.start(net, identity.key(), ledger, chain.registry);
    } catch (LedgerNetworkException e) {
      throw new StartException("p2p: " + e.getMessage(), e);
    }
    started.push(network);
    network.addListener(new ReplicationMetrics(metrics));
    network.addListener(
        new org.callchain.ledger.replication.ReplicationListener() {
          @Override
          public void anchorStatementReceived(org.callchain.chain.AnchorStatement statement) {
            chain.statementReceived(statement);
          }
        });
    chain.leadWhen(() -> AnchorLeader.leads(identity.key().address(), network.connectedDevices()));
  }

  private void startSink() {
    calls = new NodeCalls(config, identity.key().address());
    started.push(calls);
    LedgerCallSink.Listener listener =
        new LedgerCallSink.Listener() {
          @Override
          public void recorded(CallRecord record, long leafIndex, Checkpoint checkpoint) {
            calls.recorded(record, leafIndex, checkpoint);
          }

          @Override
          public void committed(Checkpoint checkpoint, int records) {
            metrics.recordsCommitted(records);
            network.announce(checkpoint, chain.committed(checkpoint));
          }
        };
    LedgerCallSink.CommitPolicy policy =
        new LedgerCallSink.CommitPolicy(
            config.ledger().commitBatch(), config.ledger().commitMaxDelay());
    LedgerCallSink.CommitTimer timer =
        policy.maxRecords() == 1 ? (delay, task) -> () -> {} : LedgerCallSink.CommitTimer.daemon();
    sink =
        new LedgerCallSink(
            ownLog, identity.key().address(), config.device().site(), listener, policy, timer);
    // Pushed after the phone (below) would be wrong: the sink must outlive the phone's last call.
    started.push(sink);
  }

  private void startPhone() throws StartException {
    NodeConfig.Sip s = config.sip();
    MediaEngine engine;
    try {
      MediaConfig.Builder media =
          MediaConfig.builder()
              .bindAddress(InetAddress.getByName(s.bind()))
              .codecs(s.codecs())
              .source(AudioSourceSpec.parse(s.play()))
              .sink(new AudioSinkSpec.Discard())
              .portRange(s.rtpPortMin(), s.rtpPortMax());
      if (s.recording()) {
        java.nio.file.Path dir = config.resolve(s.recordDir());
        Files.createDirectories(dir);
        media.recordDirectory(dir).recordByDefault(true);
      }
      engine = MediaEngines.rtp(media.build());
    } catch (IOException | IllegalArgumentException e) {
      throw new StartException("sip: media cannot start: " + e.getMessage(), e);
    }
    started.push(engine);
    PhoneConfig.Builder b =
        PhoneConfig.builder()
            .bindAddress(s.bind())
            .sipPort(s.port())
            .transports(transports(s.transport()))
            .user(s.user())
            .mediaEngine(engine)
            .finishedCallSink(sink)
            .outgoingRequestHook(new IdentitySigner(identity.key(), Clock.systemUTC()))
            .admissionHook(
                new IdentityAdmission(
                    chain.registry,
                    Set.of(s.uri()),
                    Clock.systemUTC(),
                    unreachablePolicy(),
                    verdict ->
                        LOG.info(
                            "admission of {}: {} {} {}",
                            verdict.callId(),
                            verdict.outcome(),
                            verdict.sipCode(),
                            verdict.reason())));
    try {
      phone = Phone.start(b.build());
    } catch (PhoneException | IllegalArgumentException e) {
      throw new StartException("sip: " + e.getMessage(), e);
    }
    started.push(phone);
    phone.addCallListener(metrics::onCallEvent);
    calls.attach(phone);
  }

  private void registerGauges() {
    metrics.gauge("callchain_log_size", "Records in the own log", () -> ownLog.size());
    metrics.gauge(
        "callchain_log_pending_records", "Records waiting for a commit", sink::pendingRecords);
    metrics.gauge("callchain_replicas", "Peer logs replicated here", () -> replicaCount());
    metrics.gauge(
        "callchain_peers", "Connected libp2p peers", () -> network.status().peers().size());
    metrics.gauge(
        "callchain_anchor_lag_records",
        "Records committed but not yet covered by a confirmed anchor",
        () -> chain.anchors.status().lagRecords());
    metrics.gauge(
        "callchain_anchor_lag_seconds",
        "Age of the oldest checkpoint not yet anchored and confirmed",
        () -> chain.anchors.status().lag().toMillis() / 1e3);
    metrics.gauge(
        "callchain_anchor_queue",
        "Checkpoints queued or in flight to the chain",
        () -> {
          var st = chain.anchors.status();
          return st.queued() + st.inFlight();
        });
    metrics.gauge(
        "callchain_record_failures", "Finished calls that could not be recorded", sink::failures);
    metrics.gauge(
        "callchain_anchor_batches",
        "Anchor batches this node sent as aggregator (anchor mode batch)",
        () -> chain.aggregator.map(a -> a.totals().batches()).orElse(0L));
    metrics.gauge(
        "callchain_anchor_batch_entries",
        "Device checkpoints anchored by those batches",
        () -> chain.aggregator.map(a -> a.totals().entries()).orElse(0L));
    metrics.gauge(
        "callchain_anchor_batch_records",
        "Records covered by those entries",
        () -> chain.aggregator.map(a -> a.totals().records()).orElse(0L));
    metrics.gauge(
        "callchain_anchor_batch_gas",
        "Gas used by those batches",
        () -> chain.aggregator.map(a -> a.totals().gasUsed()).orElse(0L));
    metrics.gauge(
        "callchain_anchor_sent_alone",
        "Own checkpoints sent alone because no batch anchored them within the batch wait",
        () -> chain.anchors.batchShare().sentAlone());
    metrics.gauge(
        "callchain_anchor_adopted",
        "Anchors of the own log landed by an aggregator's batch and taken over",
        () -> chain.anchors.batchShare().adopted());
  }

  private int replicaCount() {
    return (int) ledger.devices().stream().filter(d -> !d.equals(identity.key().address())).count();
  }

  /** chain.unreachable-registry: refuse once the snapshot is older than the stale bound. */
  private UnreachablePolicy unreachablePolicy() {
    return switch (config.chain().unreachableRegistry()) {
      case LAST_SNAPSHOT -> UnreachablePolicy.DECIDE_FROM_SNAPSHOT;
      case REJECT -> UnreachablePolicy.refuseWhenOlderThan(chain.config.registryStaleAfter());
    };
  }

  private static Set<Transport> transports(String name) {
    return switch (name) {
      case "udp" -> EnumSet.of(Transport.UDP);
      case "tcp" -> EnumSet.of(Transport.TCP);
      default -> EnumSet.allOf(Transport.class);
    };
  }

  /** The {@code node ready:} line of the CLI contract. */
  public String readyLine() {
    return "node ready: device "
        + identity.key().address()
        + " sip "
        + config.sip().uri()
        + " p2p "
        + network.listenAddresses().get(0)
        + " control "
        + controlUrl();
  }

  public String controlUrl() {
    return "http://" + config.control().host() + ":" + control.port();
  }

  public NodeConfig config() {
    return config;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  NodeIdentity identity() {
    return identity;
  }

  Ledger ledger() {
    return ledger;
  }

  DeviceLog ownLog() {
    return ownLog;
  }

  NodeChain chain() {
    return chain;
  }

  Phone phone() {
    return phone;
  }

  LedgerNetwork network() {
    return network;
  }

  NodeCalls calls() {
    return calls;
  }

  /** Hangs up, flushes pending records, and closes every part in reverse start order. */
  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** How long {@code POST /calls} waits for a record after the call ended. */
  static final Duration RECORD_WAIT = Duration.ofSeconds(10);
}
