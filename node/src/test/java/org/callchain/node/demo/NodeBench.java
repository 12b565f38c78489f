package org.callchain.node.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node benchmarks (issue #7, "Performance"), over the demo's real processes: three {@code callchain
 * node} JVMs with the launcher's flags and Anvil with 1-second blocks, on loopback.
 *
 * <ul>
 *   <li>replication: from hang-up (the node's {@code POST /calls} answer, sent once the call has
 *       ended and its record is committed) to both records of the call present on every peer;
 *   <li>anchor: from hang-up to the caller's node reporting a confirmed anchor covering the record;
 *   <li>memory: the resident set (VmRSS) of the callee's node, sampled while N calls are up at
 *       once.
 * </ul>
 *
 * <p>Usage: {@code NodeBench OUT.json CALLS ANCHOR_SAMPLES CONCURRENT} (run by {@code bench/node}).
 */
public final class NodeBench {
  private static final Duration TALK = Duration.ofSeconds(1);
  private static final Duration POLL = Duration.ofMillis(5);

  private NodeBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int calls = Integer.parseInt(args[1]);
    int anchorSamples = Integer.parseInt(args[2]);
    int concurrent = Integer.parseInt(args[3]);
    Path dir = Files.createTempDirectory("callchain-bench-");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "node");
    result.put("date", Instant.now().toString());
    result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    result.put("nodeJvmFlags", String.join(" ", CallchainJvm.jvmFlags()));
    result.put(
        "nodeMallocArenaMax",
        CallchainJvm.processBuilder(List.of()).environment().get("MALLOC_ARENA_MAX"));
    try (DemoNetwork network =
        DemoNetwork.start(dir, NodeDemo.BLOCK_TIME, NodeDemo.NODE_OPTIONS, NodeDemo.CHAIN_KEYS)) {
      DemoScenario s = new DemoScenario(network, line -> {});
      s.createDevices(List.of("alice", "bob", "carol"), "mallory");
      s.registerPhones();
      s.startNodes();
      List<DemoDevice> p = s.phones();
      result.put("replication", replication(network, s, p, calls));
      result.put("anchor", anchors(network, s, p, anchorSamples));
      result.put("memory", memory(network, s, p, concurrent));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    System.out.println(new ObjectMapper().writeValueAsString(result));
  }

  /** Hang-up to both records of the call on every peer; calls cycle alice, bob, carol. */
  private static Map<String, Object> replication(
      DemoNetwork network, DemoScenario s, List<DemoDevice> p, int calls) throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      DemoDevice from = p.get(i % 3);
      DemoDevice to = p.get((i + 1) % 3);
      DemoScenario.PlacedCall c = s.attemptCall(from, to);
      long hungUp = System.nanoTime();
      long fromSize = c.leaf() + 1;
      long toSize = network.control(to).status().logSize();
      for (DemoDevice peer : p) {
        if (peer != from) {
          awaitReplica(network, peer, from, fromSize);
        }
        if (peer != to) {
          awaitReplica(network, peer, to, toSize);
        }
      }
      micros.add((System.nanoTime() - hungUp) / 1000);
    }
    Map<String, Object> r = summary(micros);
    r.put("calls", calls);
    r.put("targetP99Millis", 500);
    return r;
  }

  /** One call at a time: hang-up to the caller's node confirming an anchor covering it. */
  private static Map<String, Object> anchors(
      DemoNetwork network, DemoScenario s, List<DemoDevice> p, int samples) throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      DemoScenario.PlacedCall c = s.attemptCall(p.get(0), p.get(1));
      long hungUp = System.nanoTime();
      ControlClient caller = network.control(p.get(0));
      Await.until(
          Duration.ofSeconds(30),
          "an anchor covering leaf " + c.leaf(),
          () -> Optional.of(caller.status()).filter(st -> st.anchoredSize() > c.leaf()),
          () -> "no anchor yet");
      micros.add((System.nanoTime() - hungUp) / 1000);
    }
    Map<String, Object> r = summary(micros);
    r.put("blockTimeSeconds", NodeDemo.BLOCK_TIME.toSeconds());
    r.put("chainKeys", NodeDemo.CHAIN_KEYS);
    r.put("targetMillis", 3000);
    return r;
  }

  /** {@code concurrent} calls from alice's node to bob's at once; bob's peak resident memory. */
  private static Map<String, Object> memory(
      DemoNetwork network, DemoScenario s, List<DemoDevice> p, int concurrent) throws Exception {
    DemoDevice callee = p.get(1);
    long pid = network.node(callee).pid();
    long idle = rssKib(pid);
    AtomicLong peak = new AtomicLong(idle);
    ExecutorService pool = Executors.newFixedThreadPool(concurrent);
    List<CompletableFuture<DemoScenario.PlacedCall>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < concurrent; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return network
                            .control(p.get(0))
                            .placeCall(callee.sipUri(), Duration.ofSeconds(10));
                      } catch (IOException e) {
                        throw new IllegalStateException(e);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                      }
                    },
                    pool)
                .thenApply(
                    j ->
                        new DemoScenario.PlacedCall(
                            p.get(0),
                            callee,
                            j.path("outcome").asText(),
                            j.path("sipCode").asInt(),
                            j.path("reason").asText(),
                            j.path("recordCallId").asText(),
                            j.path("leafIndex").asLong(-1))));
      }
      while (!calls.stream().allMatch(CompletableFuture::isDone)) {
        peak.accumulateAndGet(rssKib(pid), Math::max);
        Thread.sleep(100);
      }
    } finally {
      pool.shutdownNow();
    }
    long answered =
        calls.stream().filter(f -> !f.isCompletedExceptionally() && f.join().answered()).count();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("concurrentCalls", concurrent);
    r.put("answered", answered);
    r.put("node", callee.name());
    r.put("idleRssMiB", idle / 1024.0);
    r.put("peakRssMiB", peak.get() / 1024.0);
    r.put("targetMiB", 200);
    return r;
  }

  private static void awaitReplica(
      DemoNetwork network, DemoDevice holder, DemoDevice owner, long size) throws Exception {
    ControlClient c = network.control(holder);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (c.status().replica(owner.address()).map(r -> r.path("size").asLong(-1)).orElse(-1L)
        < size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            holder.name() + " never held " + owner.name() + "'s leaf " + size);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for pid " + pid);
  }

  private static Map<String, Object> summary(List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("samples", sorted.size());
    r.put("p50Millis", at(sorted, 0.50) / 1000.0);
    r.put("p99Millis", at(sorted, 0.99) / 1000.0);
    r.put("maxMillis", sorted.get(sorted.size() - 1) / 1000.0);
    return r;
  }

  private static long at(List<Long> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }
}
