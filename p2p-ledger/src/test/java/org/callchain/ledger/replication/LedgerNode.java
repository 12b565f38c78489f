package org.callchain.ledger.replication;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.LogView;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.net.Multiaddr;

/**
 * A test node: a device key, a RocksDB ledger in its own directory, and a {@link LedgerNetwork} on
 * loopback (real TCP, Noise, yamux, gossipsub) that can be stopped and started again on the same
 * store. Records every event it is told.
 */
final class LedgerNode implements AutoCloseable {
  final DeviceKey key;
  final DeviceRegistryClient registry;
  private final Path dir;
  private final CallRecords records;
  private final Duration antiEntropy;
  final List<String> rejections = new CopyOnWriteArrayList<>();
  final List<RejectionReason> reasons = new CopyOnWriteArrayList<>();
  Set<DeviceAddress> auditors = Set.of();
  Ledger ledger;
  DeviceLog log;
  LedgerNetwork net;

  LedgerNode(DeviceKey key, DeviceRegistryClient registry, Path dir, Duration antiEntropy) {
    this.key = key;
    this.registry = registry;
    this.dir = dir;
    this.antiEntropy = antiEntropy;
    this.records = new CallRecords(key.address(), key.address().hashCode());
  }

  LedgerNode start(List<Multiaddr> bootstrap) throws Exception {
    ledger = Ledgers.open(Ledgers.rocksDbStore(dir), Clock.systemUTC());
    log = ledger.ownLog(key);
    net =
        LedgerNetwork.start(
            LedgerNetworkConfig.builder("it")
                .listen("127.0.0.1", 0)
                .bootstrapPeers(bootstrap)
                .heartbeatInterval(Duration.ofMillis(200))
                .antiEntropyInterval(antiEntropy)
                .reconnectMaxBackoff(Duration.ofMillis(500))
                .syncTimeout(Duration.ofSeconds(10))
                .syncPageLeaves(3)
                .auditors(auditors)
                .build(),
            key,
            ledger,
            registry);
    net.addListener(
        new ReplicationListener() {
          @Override
          public void messageRejected(RejectedMessage rejected) {
            rejections.add(rejected.detail());
            reasons.add(rejected.reason());
          }
        });
    return this;
  }

  void stop() {
    net.close();
    ledger.close();
    net = null;
  }

  Multiaddr address() {
    return net.listenAddresses().get(0);
  }

  DeviceAddress device() {
    return key.address();
  }

  /** Appends and commits {@code n} records, announcing the commit. */
  Checkpoint commitAndAnnounce(int n) throws Exception {
    Checkpoint cp = commit(n);
    net.announce(cp).get(10, TimeUnit.SECONDS);
    return cp;
  }

  Checkpoint commit(int n) {
    for (int i = 0; i < n; i++) {
      log.append(records.next());
    }
    return log.commit();
  }

  /** The size this node holds of {@code device}'s log. */
  long held(DeviceAddress device) {
    return ledger.log(device).map(LogView::size).orElse(0L);
  }

  Optional<Hash256> root(DeviceAddress device) {
    return ledger.log(device).flatMap(LogView::latestCheckpoint).map(Checkpoint::rootHash);
  }

  int peers() {
    return net.status().peers().size();
  }

  static void await(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    if (net != null) {
      stop();
    }
  }
}
