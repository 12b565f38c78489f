package org.callchain.node.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.callchain.chain.OnChainAnchor;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Gas per call record as the node really anchors (ADR 0093), over the demo's real processes: N
 * {@code callchain node} JVMs with the given cadence, Anvil with 1-second blocks, once per anchor
 * mode asked for ({@code batch}: the lowest address aggregates every device's statements; {@code
 * single}: each device sends its own {@code anchor}), each on a fresh chain. Each node places its
 * own calls to the next one at the same time as the others, so every device's log grows (its calls
 * and the calls it answers). When the traffic stops the bench waits until every device's last
 * checkpoint is anchored, then reads every {@code Anchored} event of the devices: the records an
 * entry covers are {@code treeSize - previousSize}, the gas is its transaction's {@code gasUsed}
 * (shared by the entries of a batch), the method its input's selector.
 *
 * <p>A device's first anchor writes a zero storage word (20,000 gas instead of 5,000), so the
 * steady-state figure counts only transactions whose every entry follows an earlier anchor.
 *
 * <p>Usage: {@code NodeGasBench OUT.json CALLS_PER_NODE ANCHOR_EVERY_RECORDS ANCHOR_EVERY [NODES
 * [MODES]]} (run by {@code bench/node-gas}; NODES defaults to 3, at most 6; MODES {@code batch},
 * {@code single} or {@code both}, the default).
 */
public final class NodeGasBench {
  private static final Duration TALK = Duration.ofMillis(200);

  /** The 4-byte selector of {@code anchorBatch(uint64[],bytes32[],bytes32[],bytes32[])}. */
  private static final String ANCHOR_BATCH =
      Hash.sha3String("anchorBatch(uint64[],bytes32[],bytes32[],bytes32[])").substring(0, 10);

  private NodeGasBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int callsPerNode = Integer.parseInt(args[1]);
    String everyRecords = args[2];
    String every = args[3];
    int nodes = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    String asked = args.length > 5 ? args[5] : "both";
    List<String> modes =
        switch (asked) {
          case "both" -> List.of("batch", "single");
          case "batch", "single" -> List.of(asked);
          default -> throw new IllegalArgumentException("MODES is batch, single or both: " + asked);
        };
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "node-gas");
    result.put("date", Instant.now().toString());
    result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    result.put(
        "chainKeys",
        Map.of("anchor-every", every, "anchor-every-records", everyRecords, "confirmations", "1"));
    result.put("nodes", nodes);
    result.put("callsPerNode", callsPerNode);
    Map<String, Object> byMode = new LinkedHashMap<>();
    for (String mode : modes) {
      byMode.put(mode, run(mode, callsPerNode, everyRecords, every, nodes));
    }
    result.put("modes", byMode);
    result.put("gasPerRecordByMode", perMode(byMode, "gasPerRecord"));
    result.put("steadyGasPerRecordByMode", steadyPerMode(byMode));
    result.put("targetGasPerRecordAt64", 370);
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    System.out.println(new ObjectMapper().writeValueAsString(result));
  }

  private static Map<String, Object> run(
      String mode, int callsPerNode, String everyRecords, String every, int nodes)
      throws Exception {
    List<String> names =
        List.of("alice", "bob", "carol", "dave", "erin", "frank").subList(0, nodes);
    Map<String, String> cadence =
        Map.of(
            "anchor-every",
            every,
            "anchor-every-records",
            everyRecords,
            "confirmations",
            "1",
            "anchor-mode",
            mode);
    Path dir = Files.createTempDirectory("callchain-gas-bench-" + mode + "-");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("anchorMode", mode);
    result.put("logs", dir.toString());
    try (DemoNetwork network =
        DemoNetwork.start(dir, NodeDemo.BLOCK_TIME, NodeDemo.NODE_OPTIONS, cadence)) {
      DemoScenario s = new DemoScenario(network, line -> {});
      s.createDevices(names, "mallory");
      s.registerPhones();
      s.startNodes();
      List<DemoDevice> p = s.phones();
      long t0 = System.nanoTime();
      traffic(network, p, callsPerNode);
      result.put("trafficSeconds", (System.nanoTime() - t0) / 1e9);
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (DemoDevice d : p) {
        sizes.put(d.name(), network.control(d).status().logSize());
      }
      for (DemoDevice d : p) {
        long size = sizes.get(d.name());
        Await.until(
            Duration.parse("PT" + every.toUpperCase()).plusSeconds(60),
            d.name() + "'s log anchored up to " + size,
            () ->
                java.util.Optional.of(network.chain().anchors(d.address()))
                    .filter(
                        l -> !l.isEmpty() && l.get(l.size() - 1).checkpoint().treeSize() >= size),
            () -> "not yet");
      }
      result.put("logSizes", sizes);
      result.put("gas", gas(network, p));
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> perMode(Map<String, Object> byMode, String key) {
    Map<String, Object> r = new LinkedHashMap<>();
    byMode.forEach(
        (mode, run) ->
            r.put(mode, ((Map<String, Object>) ((Map<String, Object>) run).get("gas")).get(key)));
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> steadyPerMode(Map<String, Object> byMode) {
    Map<String, Object> r = new LinkedHashMap<>();
    byMode.forEach(
        (mode, run) -> {
          Map<String, Object> gas = (Map<String, Object>) ((Map<String, Object>) run).get("gas");
          r.put(mode, ((Map<String, Object>) gas.get("steadyState")).get("gasPerRecord"));
        });
    return r;
  }

  /** Node i calls node i+1, {@code calls} times, all three at once. */
  private static void traffic(DemoNetwork network, List<DemoDevice> p, int calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(p.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < p.size(); i++) {
        DemoDevice from = p.get(i);
        DemoDevice to = p.get((i + 1) % p.size());
        running.add(
            pool.submit(
                () -> {
                  for (int c = 0; c < calls; c++) {
                    network.control(from).placeCall(to.sipUri(), TALK);
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, Object> gas(DemoNetwork network, List<DemoDevice> p) throws Exception {
    Map<String, List<OnChainAnchor>> byTx = new TreeMap<>();
    for (DemoDevice d : p) {
      for (OnChainAnchor a : network.chain().anchors(d.address())) {
        byTx.computeIfAbsent(a.transactionHash(), k -> new ArrayList<>()).add(a);
      }
    }
    Web3j web3 = Web3j.build(new HttpService(network.chain().rpcUrl()));
    long gas = 0;
    long records = 0;
    long entries = 0;
    long steadyGas = 0;
    long steadyRecords = 0;
    long steadyEntries = 0;
    Map<Integer, Integer> txsByEntries = new TreeMap<>();
    Map<String, Integer> txsByMethod = new TreeMap<>();
    try {
      for (Map.Entry<String, List<OnChainAnchor>> tx : byTx.entrySet()) {
        long txGas =
            web3.ethGetTransactionReceipt(tx.getKey())
                .send()
                .getTransactionReceipt()
                .orElseThrow()
                .getGasUsed()
                .longValueExact();
        String input =
            web3.ethGetTransactionByHash(tx.getKey())
                .send()
                .getTransaction()
                .orElseThrow()
                .getInput();
        txsByMethod.merge(
            input.startsWith(ANCHOR_BATCH) ? "anchorBatch" : "anchor", 1, Integer::sum);
        long txRecords = 0;
        for (OnChainAnchor a : tx.getValue()) {
          txRecords += a.checkpoint().treeSize() - a.previousSize();
        }
        gas += txGas;
        records += txRecords;
        entries += tx.getValue().size();
        if (tx.getValue().stream().allMatch(a -> a.previousSize() > 0)) {
          steadyGas += txGas;
          steadyRecords += txRecords;
          steadyEntries += tx.getValue().size();
        }
        txsByEntries.merge(tx.getValue().size(), 1, Integer::sum);
      }
    } finally {
      web3.shutdown();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("transactions", byTx.size());
    r.put("transactionsByDevicesPerTx", txsByEntries);
    r.put("devicesPerTransaction", byTx.isEmpty() ? 0 : (double) entries / byTx.size());
    r.put("transactionsByMethod", txsByMethod);
    r.put("anchorEntries", entries);
    r.put("recordsAnchored", records);
    r.put("gasUsed", gas);
    r.put("gasPerAnchorEntry", entries == 0 ? 0 : (double) gas / entries);
    r.put("gasPerRecord", records == 0 ? 0 : (double) gas / records);
    r.put("recordsPerAnchorEntry", entries == 0 ? 0 : (double) records / entries);
    Map<String, Object> steady = new LinkedHashMap<>();
    steady.put("anchorEntries", steadyEntries);
    steady.put("recordsAnchored", steadyRecords);
    steady.put("gasPerAnchorEntry", steadyEntries == 0 ? 0 : (double) steadyGas / steadyEntries);
    steady.put("gasPerRecord", steadyRecords == 0 ? 0 : (double) steadyGas / steadyRecords);
    steady.put(
        "recordsPerAnchorEntry", steadyEntries == 0 ? 0 : (double) steadyRecords / steadyEntries);
    r.put("steadyState", steady);
    return r;
  }
}
