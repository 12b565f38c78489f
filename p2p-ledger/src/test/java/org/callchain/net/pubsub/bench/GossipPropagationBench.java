package org.callchain.net.pubsub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.NodeKey;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.Pubsub;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.internal.GossipsubRouter;
import org.callchain.net.pubsub.internal.SingleThreadEventLoop;
import org.callchain.net.pubsub.internal.libp2p.Libp2pGossipsub;
import org.callchain.net.pubsub.internal.libp2p.NodeKeyMessageSigner;
import org.callchain.net.pubsub.internal.libp2p.PeerIdSignatureVerifier;
import org.callchain.net.pubsub.internal.memory.InMemoryPubsubNetwork;

/**
 * Propagation benchmark: N routers in one process, each on its own event-loop thread, 4 KB
 * StrictSign messages signed with secp256k1 device keys, production gossipsub parameters (1 s
 * heartbeat). Phase 0 warms the JVM up (unmeasured, {@code bench.warmupMessages}); phase 1
 * publishes at a steady rate and records publish-to-delivery latency at every node; phase 2
 * publishes as fast as the network absorbs and reports delivered messages per second. Writes JSON
 * to the path given as the first argument.
 *
 * <p>Run through {@code bench/gossip}. Transport: the in-memory network (frames passed by reference
 * between threads, no sockets).
 */
public final class GossipPropagationBench {
  private static final String TOPIC = "bench";

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/gossip.json");
    int nodes = Integer.getInteger("bench.nodes", 20);
    int size = Integer.getInteger("bench.messageBytes", 4096);
    int rate = Integer.getInteger("bench.ratePerSecond", 20);
    int steadySeconds = Integer.getInteger("bench.steadySeconds", 5);
    int burst = Integer.getInteger("bench.burstMessages", 500);
    int warmup = Integer.getInteger("bench.warmupMessages", 200);
    boolean ed25519 = "ed25519".equals(System.getProperty("bench.keyType", "secp256k1"));

    boolean tcp = "tcp".equals(System.getProperty("bench.transport", "memory"));
    Random random = new Random(1);
    SingleThreadEventLoop networkLoop = new SingleThreadEventLoop("bench-network");
    InMemoryPubsubNetwork network = new InMemoryPubsubNetwork(networkLoop, Duration.ZERO);
    List<SingleThreadEventLoop> loops = new ArrayList<>();
    List<Host> hosts = new ArrayList<>();
    List<Pubsub> routers = new ArrayList<>();
    ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
    AtomicLong deliveries = new AtomicLong();
    try {
      for (int i = 0; i < nodes; i++) {
        NodeKey key = ed25519 ? NodeKey.generateEd25519() : NodeKey.generateSecp256k1();
        Pubsub router;
        if (tcp) {
          Host host = new Libp2pHost(HostConfig.builder(key).build());
          host.start().get(10, TimeUnit.SECONDS);
          hosts.add(host);
          router = Libp2pGossipsub.start(host, key);
        } else {
          SingleThreadEventLoop loop = new SingleThreadEventLoop("bench-node-" + i);
          loops.add(loop);
          GossipsubRouter memoryRouter =
              new GossipsubRouter(
                  GossipParams.defaults(),
                  PeerScoreParams.defaults(),
                  PeerScoreThresholds.defaults(),
                  network.transportFor(PeerKey.of(key.peerId().toBytes())),
                  new NodeKeyMessageSigner(key),
                  new PeerIdSignatureVerifier(),
                  loop,
                  new Random(random.nextLong()),
                  1 << 20);
          memoryRouter.start();
          router = memoryRouter;
        }
        router.subscribe(
            TOPIC,
            m -> {
              long sent = ByteBuffer.wrap(m.data()).getLong();
              latenciesNanos.add(System.nanoTime() - sent);
              deliveries.incrementAndGet();
            });
        routers.add(router);
      }
      Thread.sleep(300);
      for (int i = 0; i < nodes; i++) {
        connect(tcp, network, hosts, routers, i, (i + 1) % nodes);
        for (int k = 0; k < 4; k++) {
          int j = random.nextInt(nodes);
          if (j != i) {
            connect(tcp, network, hosts, routers, i, j);
          }
        }
      }
      Thread.sleep(5_000); // meshes form over a few 1 s heartbeats

      // Phase 0: warm-up, not measured. A node runs for hours; the first few hundred messages of a
      // fresh JVM run interpreted code and share the CPU with the JIT compilers.
      for (int i = 0; i < warmup; i++) {
        publish(routers.get(random.nextInt(nodes)), size, -1 - i);
        if (i % 50 == 49) {
          awaitDeliveries(deliveries, (long) (i - 49) * (nodes - 1), Duration.ofSeconds(30));
        }
      }
      awaitDeliveries(deliveries, (long) warmup * (nodes - 1), Duration.ofSeconds(30));
      Thread.sleep(1_000);
      latenciesNanos.clear();
      deliveries.set(0);
      PubsubTotals afterWarmup = totals(routers);

      // Phase 1: steady rate, latency.
      int steadyCount = rate * steadySeconds;
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
      long cpuBeforeSteady = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < steadyCount; i++) {
        long due = start + i * periodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        publish(routers.get(random.nextInt(nodes)), size, i);
      }
      long expected = (long) steadyCount * (nodes - 1);
      awaitDeliveries(deliveries, expected, Duration.ofSeconds(10));
      long steadyDelivered = deliveries.get();
      long[] steady = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      long steadyCpu = processCpuNanos() - cpuBeforeSteady;
      PubsubTotals afterSteady = totals(routers);

      // Phase 2: burst, sustained throughput.
      latenciesNanos.clear();
      deliveries.set(0);
      long cpuBeforeBurst = processCpuNanos();
      long burstStart = System.nanoTime();
      for (int i = 0; i < burst; i++) {
        publish(routers.get(random.nextInt(nodes)), size, steadyCount + i);
        if (i % 50 == 49) {
          awaitDeliveries(deliveries, (long) (i - 49) * (nodes - 1), Duration.ofSeconds(30));
        }
      }
      long burstExpected = (long) burst * (nodes - 1);
      boolean burstComplete = awaitDeliveries(deliveries, burstExpected, Duration.ofSeconds(60));
      double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
      long burstCpu = processCpuNanos() - cpuBeforeBurst;
      long[] burstLatencies = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      PubsubTotals afterBurst = totals(routers);

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("benchmark", "gossipsub propagation");
      result.put("timestamp", Instant.now().toString());
      result.put(
          "transport",
          tcp
              ? "libp2p over loopback TCP (Noise, yamux, /meshsub/1.1.0), one JVM"
              : "in-memory (one JVM, one event-loop thread per node, no sockets)");
      result.put("nodes", nodes);
      result.put("messageBytes", size);
      result.put("signature", "StrictSign, " + (ed25519 ? "ed25519" : "secp256k1"));
      result.put(
          "loadAverageAtEnd",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      result.put("warmupMessages", warmup);
      result.put("heartbeatMillis", GossipParams.defaults().heartbeatInterval().toMillis());
      result.put("cpus", Runtime.getRuntime().availableProcessors());
      Map<String, Object> steadyJson = new LinkedHashMap<>();
      steadyJson.put("messages", steadyCount);
      steadyJson.put("publishRatePerSecond", rate);
      steadyJson.put("deliveriesExpected", expected);
      steadyJson.put("deliveries", steadyDelivered);
      steadyJson.put("latencyP50Millis", percentile(steady, 0.50));
      steadyJson.put("latencyP99Millis", percentile(steady, 0.99));
      steadyJson.put("latencyMaxMillis", percentile(steady, 1.0));
      long steadyDuplicates = afterSteady.duplicates - afterWarmup.duplicates;
      steadyJson.put("duplicatesPerMessage", (double) steadyDuplicates / Math.max(1, steadyCount));
      steadyJson.put(
          "duplicatesPerDelivery", (double) steadyDuplicates / Math.max(1, steadyDelivered));
      steadyJson.put("cpuSeconds", steadyCpu / 1e9);
      steadyJson.put(
          "cpuMicrosPerReceivedCopy",
          steadyCpu / 1e3 / Math.max(1, steadyDelivered + steadyDuplicates));
      result.put("steady", steadyJson);
      Map<String, Object> burstJson = new LinkedHashMap<>();
      burstJson.put("messages", burst);
      burstJson.put("complete", burstComplete);
      burstJson.put("seconds", burstSeconds);
      burstJson.put("messagesPerSecond", burst / burstSeconds);
      burstJson.put("deliveriesPerSecond", deliveries.get() / burstSeconds);
      burstJson.put("latencyP50Millis", percentile(burstLatencies, 0.50));
      burstJson.put("latencyP99Millis", percentile(burstLatencies, 0.99));
      burstJson.put(
          "duplicatesPerMessage",
          (double) (afterBurst.duplicates - afterSteady.duplicates) / burst);
      long burstCopies = deliveries.get() + afterBurst.duplicates - afterSteady.duplicates;
      burstJson.put("cpuSeconds", burstCpu / 1e9);
      burstJson.put("cpuMicrosPerReceivedCopy", burstCpu / 1e3 / Math.max(1, burstCopies));
      burstJson.put("cpuMillisPerMessage", burstCpu / 1e6 / burst);
      result.put("burst", burstJson);
      Files.createDirectories(out.toAbsolutePath().getParent());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.toFile(), result);
      System.out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    } finally {
      routers.forEach(Pubsub::close);
      hosts.forEach(Host::close);
      loops.forEach(SingleThreadEventLoop::close);
      networkLoop.close();
    }
  }

  private record PubsubTotals(long delivered, long duplicates) {}

  private static void connect(
      boolean tcp,
      InMemoryPubsubNetwork network,
      List<Host> hosts,
      List<Pubsub> routers,
      int from,
      int to)
      throws Exception {
    if (tcp) {
      Host target = hosts.get(to);
      hosts
          .get(from)
          .dial(target.listenAddresses().get(0).withPeerId(target.peerId()))
          .get(10, TimeUnit.SECONDS);
    } else {
      network.connect(routers.get(from).self(), routers.get(to).self());
    }
  }

  private static PubsubTotals totals(List<Pubsub> routers) throws Exception {
    long delivered = 0;
    long duplicates = 0;
    for (Pubsub r : routers) {
      PubsubStats s = r.stats().toCompletableFuture().get(10, TimeUnit.SECONDS);
      delivered += s.messagesDelivered();
      duplicates += s.duplicatesReceived();
    }
    return new PubsubTotals(delivered, duplicates);
  }

  private static void publish(Pubsub router, int size, int index) {
    byte[] payload = new byte[size];
    ByteBuffer.wrap(payload).putLong(System.nanoTime()).putInt(index);
    router.publish(TOPIC, payload);
  }

  /**
   * CPU time of the whole process (every node's threads), so a busy machine's wall-clock noise does
   * not hide what a change saves per copy.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static boolean awaitDeliveries(AtomicLong deliveries, long expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (deliveries.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return deliveries.get() >= expected;
  }

  private static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, index)] / 1e6;
  }
}
