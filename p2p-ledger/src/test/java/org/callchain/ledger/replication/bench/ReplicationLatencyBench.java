package org.callchain.ledger.replication.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.LedgerNetwork;
import org.callchain.ledger.replication.LedgerNetworkConfig;
import org.callchain.ledger.replication.ReplicationListener;
import org.callchain.ledger.replication.TestRegistry;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;

/**
 * Commit-to-replica latency (issue #7, "Performance"): three nodes on loopback with RocksDB ledgers
 * and production gossipsub parameters; the nodes take turns committing one record at a time (a desk
 * phone's commit per call) at a steady rate and announcing it. Latency is from just before {@code
 * append} + {@code commit} (the hang-up) until the record is in the replica of both other nodes.
 * Writes JSON to the path given as the first argument. Run through {@code bench/replication}.
 */
public final class ReplicationLatencyBench {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/replication.json");
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int ratePerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    boolean memory = "memory".equals(System.getProperty("bench.store", "rocksdb"));
    List<DeviceKey> keys = List.of(TestKeys.ALICE, TestKeys.BOB, TestKeys.CAROL);
    TestRegistry registry = new TestRegistry();
    keys.forEach(k -> registry.register(k.address()));
    Path dir = Files.createTempDirectory("callchain-replication-bench-");

    List<Ledger> ledgers = new ArrayList<>();
    List<DeviceLog> logs = new ArrayList<>();
    List<LedgerNetwork> nets = new ArrayList<>();
    // receiver index -> "device/size" -> nanoTime the replica reached that size
    List<Map<String, Long>> reached = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Ledger ledger =
          Ledgers.open(
              memory ? Ledgers.inMemoryStore() : Ledgers.rocksDbStore(dir.resolve("n" + i)),
              Clock.systemUTC());
      ledgers.add(ledger);
      logs.add(ledger.ownLog(keys.get(i)));
      LedgerNetworkConfig.Builder config =
          LedgerNetworkConfig.builder("bench").listen("127.0.0.1", 0);
      List<org.callchain.net.Multiaddr> bootstrap = new ArrayList<>();
      nets.forEach(n -> bootstrap.add(n.listenAddresses().get(0)));
      LedgerNetwork net =
          LedgerNetwork.start(
              config.bootstrapPeers(bootstrap).build(), keys.get(i), ledger, registry);
      Map<String, Long> mine = new ConcurrentHashMap<>();
      reached.add(mine);
      net.addListener(
          new ReplicationListener() {
            @Override
            public void replicaUpdated(
                DeviceAddress device, Checkpoint cp, long fromSize, Delivery via) {
              long now = System.nanoTime();
              for (long s = cp.treeSize(); s > 0 && !mine.containsKey(device + "/" + s); s--) {
                mine.put(device + "/" + s, now);
              }
            }
          });
      nets.add(net);
    }
    awaitMesh(nets, logs);

    Map<String, Long> committedAt = new LinkedHashMap<>();
    List<CallRecords> gens = new ArrayList<>();
    keys.forEach(k -> gens.add(new CallRecords(k.address(), 1)));
    long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    long next = System.nanoTime();
    Instant started = Instant.now();
    for (int c = 0; c < commits; c++) {
      int i = c % keys.size();
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      next += interval;
      long t0 = System.nanoTime();
      logs.get(i).append(gens.get(i).next());
      Checkpoint cp = logs.get(i).commit();
      committedAt.put(keys.get(i).address() + "/" + cp.treeSize() + "/" + i, t0);
      nets.get(i).announce(cp);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<Long> latencies = new ArrayList<>();
    int missing = 0;
    for (Map.Entry<String, Long> e : committedAt.entrySet()) {
      String[] parts = e.getKey().split("/");
      String key = parts[0] + "/" + parts[1];
      int owner = Integer.parseInt(parts[2]);
      long worst = 0;
      for (int r = 0; r < keys.size(); r++) {
        if (r == owner) {
          continue;
        }
        while (!reached.get(r).containsKey(key) && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        Long at = reached.get(r).get(key);
        if (at == null) {
          missing++;
          worst = -1;
          break;
        }
        worst = Math.max(worst, at - e.getValue());
      }
      if (worst >= 0) {
        latencies.add(worst);
      }
    }
    latencies.sort(Long::compare);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "replication-commit-to-every-peer");
    result.put("started", started.toString());
    result.put("nodes", keys.size());
    result.put("commits", commits);
    result.put("recordsPerCommit", 1);
    result.put("commitsPerSecond", ratePerSecond);
    result.put("store", memory ? "in-memory" : "rocksdb (synced commits)");
    result.put("transport", "loopback TCP, Noise, yamux, gossipsub v1.1 (1 s heartbeat)");
    result.put("missing", missing);
    result.put("p50Millis", millis(latencies, 0.50));
    result.put("p99Millis", millis(latencies, 0.99));
    result.put("maxMillis", millis(latencies, 1.0));
    nets.forEach(LedgerNetwork::close);
    ledgers.forEach(Ledger::close);
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    System.out.println(new ObjectMapper().writeValueAsString(result));
  }

  /** Announces a first record from each node until it reaches both others (the mesh is up). */
  private static void awaitMesh(List<LedgerNetwork> nets, List<DeviceLog> logs) throws Exception {
    for (int i = 0; i < nets.size(); i++) {
      logs.get(i).append(new CallRecords(logs.get(i).device(), 99).next());
      Checkpoint cp = logs.get(i).commit();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (nets.get(i).announce(cp).get(10, TimeUnit.SECONDS) < nets.size() - 1) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the mesh did not form within 30 s");
        }
        Thread.sleep(100);
      }
    }
  }

  private static double millis(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return Math.round(sorted.get(Math.max(0, index)) / 10_000.0) / 100.0;
  }
}
