package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainException;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.RegistryFreshness;
import org.callchain.contracts.generated.DeviceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows the registry contract by polling {@code eth_getLogs} from the last synced block. An event
 * only says which devices changed; their state is then read with {@code getDevice} at the synced
 * block, so the cache never trusts a half-applied reading of event data. The hash of the synced
 * block is remembered: when it is no longer canonical (a reorg), the whole registry is read again.
 * The cache is written to {@link RegistrySnapshot} after every change, and read back at start, so
 * lookups work before the first sync and during outages.
 */
public final class Web3jRegistryClient implements DeviceRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(Web3jRegistryClient.class);
  private static final long LOG_RANGE = 5_000; // many public endpoints cap eth_getLogs ranges
  private static final long PAGE = 100;

  private final Web3jChainConnection connection;
  private final ContractReads reads;
  private final Path snapshotFile;
  private final Duration staleAfter;
  private final Clock clock;
  private final List<String> topics;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;

  private final Object syncLock = new Object();
  // Readers see immutable snapshots; only sync (under syncLock) replaces them.
  private volatile Map<DeviceAddress, DeviceRecord> devices = Map.of();
  private volatile long syncedBlock = -1;
  private volatile String syncedBlockHash = "";
  private volatile Optional<Instant> syncedAt = Optional.empty();
  private volatile Optional<String> lastError = Optional.empty();

  public Web3jRegistryClient(Web3jChainConnection connection, ChainConfig config, Clock clock)
      throws ChainException {
    this.connection = connection;
    this.reads =
        new ContractReads(
            connection.rpc(), connection.contracts().registry(), connection.contracts().anchor());
    this.snapshotFile = config.dataDir().resolve("registry-snapshot.json");
    this.staleAfter = config.registryStaleAfter();
    this.clock = clock;
    this.topics =
        List.of(
            EventEncoder.encode(DeviceRegistry.DEVICEREGISTERED_EVENT),
            EventEncoder.encode(DeviceRegistry.DEVICEREVOKED_EVENT),
            EventEncoder.encode(DeviceRegistry.DEVICEROTATED_EVENT));
    loadSnapshot();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-sync");
              t.setDaemon(true);
              return t;
            });
    long every = config.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<DeviceRecord> lookup(DeviceAddress device) {
    return Optional.ofNullable(devices.get(device));
  }

  @Override
  public List<DeviceRecord> devices() {
    return List.copyOf(devices.values());
  }

  @Override
  public RegistryFreshness freshness() {
    boolean stale =
        syncedAt
            .map(at -> Duration.between(at, clock.instant()).compareTo(staleAfter) > 0)
            .orElse(true);
    return new RegistryFreshness(syncedBlock, syncedAt, stale, lastError);
  }

  @Override
  public void addListener(RegistryListener listener) {
    listeners.add(listener);
  }

  @Override
  public void sync() throws ChainException {
    List<DeviceRecord> changed;
    synchronized (syncLock) {
      try {
        changed = syncOnce();
        lastError = Optional.empty();
      } catch (ChainException e) {
        lastError = Optional.of(e.getMessage());
        throw e;
      }
    }
    for (DeviceRecord r : changed) {
      for (RegistryListener l : listeners) {
        l.deviceChanged(r);
      }
    }
  }

  private void pollQuietly() {
    try {
      sync();
    } catch (ChainException e) {
      LOG.debug("registry sync failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("registry sync failed", e);
    }
  }

  private List<DeviceRecord> syncOnce() throws ChainException {
    long latest = connection.blockNumber();
    String latestHash = blockHash(latest).orElse("");
    if (syncedBlock >= 0 && !blockHash(syncedBlock).orElse("").equals(syncedBlockHash)) {
      LOG.info(
          "registry: block {} left the canonical chain, reading the registry again", syncedBlock);
      syncedBlock = -1;
    }
    if (latest < syncedBlock) {
      syncedBlock = -1; // the chain went back (e.g. a restarted dev chain): start over
    }
    reads.atBlock(Optional.of(latest));
    List<DeviceRecord> changed = new ArrayList<>();
    Map<DeviceAddress, DeviceRecord> next = new LinkedHashMap<>(devices);
    if (syncedBlock < 0) {
      Map<DeviceAddress, DeviceRecord> fresh = new LinkedHashMap<>();
      long count = reads.deviceCount();
      for (long offset = 0; offset < count; offset += PAGE) {
        for (DeviceAddress a : reads.devicesPage(offset, PAGE)) {
          reads.device(a).ifPresent(r -> fresh.put(a, r));
        }
      }
      for (DeviceRecord r : fresh.values()) {
        if (!r.equals(next.get(r.address()))) {
          changed.add(r);
        }
      }
      next = fresh;
    } else if (latest > syncedBlock) {
      Set<DeviceAddress> touched = new LinkedHashSet<>();
      for (long from = syncedBlock + 1; from <= latest; from += LOG_RANGE) {
        long to = Math.min(latest, from + LOG_RANGE - 1);
        touched.addAll(changedDevices(from, to));
      }
      for (DeviceAddress a : touched) {
        Optional<DeviceRecord> r = reads.device(a);
        if (r.isPresent() && !r.get().equals(next.get(a))) {
          next.put(a, r.get());
          changed.add(r.get());
        }
      }
    }
    boolean moved = latest != syncedBlock;
    devices = java.util.Collections.unmodifiableMap(next);
    syncedBlock = latest;
    syncedBlockHash = latestHash;
    syncedAt = Optional.of(clock.instant());
    if (moved || !changed.isEmpty()) {
      saveSnapshot();
    }
    return changed;
  }

  private Set<DeviceAddress> changedDevices(long from, long to) throws ChainException {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            connection.contracts().registry().hex());
    filter.addOptionalTopics(topics.toArray(String[]::new));
    EthLog result =
        connection
            .rpc()
            .send(connection.rpc().web3j().ethGetLogs(filter), "reading registry events");
    Set<DeviceAddress> touched = new LinkedHashSet<>();
    for (EthLog.LogResult<?> item : result.getLogs()) {
      Log log = (Log) item.get();
      List<String> t = log.getTopics();
      // topics[1] is the (old) device; DeviceRotated also has the new device in topics[2]
      touched.add(topicAddress(t.get(1)));
      if (t.get(0).equals(topics.get(2))) {
        touched.add(topicAddress(t.get(2)));
      }
    }
    return touched;
  }

  private static DeviceAddress topicAddress(String topic) {
    return DeviceAddress.parse("0x" + topic.substring(topic.length() - 40));
  }

  private Optional<String> blockHash(long number) throws ChainException {
    EthBlock.Block b =
        connection
            .rpc()
            .send(
                connection
                    .rpc()
                    .web3j()
                    .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false),
                "reading block " + number)
            .getBlock();
    return Optional.ofNullable(b).map(EthBlock.Block::getHash);
  }

  private void loadSnapshot() throws ChainException {
    Optional<RegistrySnapshot> snapshot = RegistrySnapshot.load(snapshotFile);
    if (snapshot.isEmpty()) {
      return;
    }
    RegistrySnapshot s = snapshot.get();
    if (s.chainId() != connection.chainId()
        || !s.registry().equalsIgnoreCase(connection.contracts().registry().hex())) {
      LOG.info("registry snapshot {} belongs to another deployment; ignoring it", snapshotFile);
      return;
    }
    Map<DeviceAddress, DeviceRecord> loaded = new LinkedHashMap<>();
    for (RegistrySnapshot.Entry e : s.devices()) {
      DeviceRecord r = e.toRecord();
      loaded.put(r.address(), r);
    }
    devices = java.util.Collections.unmodifiableMap(loaded);
    syncedBlock = s.syncedBlock();
    syncedBlockHash = s.syncedBlockHash();
    syncedAt = Optional.of(Instant.ofEpochMilli(s.syncedAtMillis()));
  }

  private void saveSnapshot() throws ChainException {
    new RegistrySnapshot(
            connection.chainId(),
            connection.contracts().registry().hex(),
            syncedBlock,
            syncedBlockHash,
            syncedAt.map(Instant::toEpochMilli).orElse(0L),
            devices.values().stream().map(RegistrySnapshot.Entry::of).toList())
        .save(snapshotFile);
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
