package org.callchain.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.callchain.chain.internal.web3j.ContractCalls;
import org.callchain.chain.internal.web3j.JsonRpc;
import org.callchain.chain.internal.web3j.SigningAccount;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The chain benchmark behind {@code bench/chain}: gas of an anchor and per record for anchors
 * covering 1, 64 and 640 records, on the single-device path and on the batch path for batches of 1
 * to 64 devices (ADR 0052), and the time from a checkpoint to its confirmed anchor on Anvil with
 * 1-second blocks. Writes one JSON file. Run by the script, not by the test phases.
 */
public final class ChainBenchmark {
  private static final int GAS_SAMPLES = 20;
  private static final int LATENCY_SAMPLES = 8;

  private ChainBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/chain.json");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "chain");
    result.put("date", Instant.now().toString());
    result.put("anvil", "@foundry-rs/anvil 1.7.1, solc 0.8.37 (optimizer, 10000 runs, cancun)");
    result.put("machine", Runtime.getRuntime().availableProcessors() + " cores, shared");
    result.put("gas", gas());
    result.put("batchGas", batchGas());
    result.put("latency", latency());
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    System.out.println(Files.readString(out));
  }

  private static AnchorCheckpoint checkpoint(long size) {
    byte[] root = new byte[32];
    for (int i = 0; i < 32; i++) {
      root[i] = (byte) (size * 31 + i * 7 + 1); // a realistic, non-zero hash
    }
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  /** EIP-2028 calldata cost: 16 gas per non-zero byte, 4 per zero byte. */
  private static long calldataGas(String data) {
    long gas = 0;
    for (byte b : Numeric.hexStringToByteArray(data)) {
      gas += b == 0 ? 4 : 16;
    }
    return gas;
  }

  private static Map<String, Object> gas() throws Exception {
    Map<String, Object> gas = new LinkedHashMap<>();
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO);
        JsonRpc rpc = new JsonRpc(chain.anvil.rpcUrl(), Duration.ofSeconds(10))) {
      DeviceAddress anchorContract = chain.deployment.contracts().anchor();
      SigningAccount admin = new SigningAccount(rpc, chain.anvil.chainId(), chain.key(0));
      TransactionReceipt reg =
          admin.sendAndWait(
              Optional.of(chain.deployment.contracts().registry()),
              ContractCalls.register(chain.address(1), "sip:bench@example.com"),
              "register",
              Duration.ofSeconds(10));
      gas.put("registerDevice", reg.getGasUsed().longValue());
      SigningAccount device = new SigningAccount(rpc, chain.anvil.chainId(), chain.key(1));
      long size = 1;
      String firstData = ContractCalls.anchor(checkpoint(size));
      TransactionReceipt first =
          device.sendAndWait(
              Optional.of(anchorContract), firstData, "anchor", Duration.ofSeconds(10));
      gas.put("firstAnchorOfADevice", first.getGasUsed().longValue());
      Map<String, Object> perBatch = new LinkedHashMap<>();
      for (int records : new int[] {1, 64, 640}) {
        List<Long> used = new ArrayList<>();
        long calldata = 0;
        for (int i = 0; i < GAS_SAMPLES; i++) {
          size += records;
          String data = ContractCalls.anchor(checkpoint(size));
          calldata = calldataGas(data);
          used.add(
              device
                  .sendAndWait(Optional.of(anchorContract), data, "anchor", Duration.ofSeconds(10))
                  .getGasUsed()
                  .longValue());
        }
        double mean = used.stream().mapToLong(Long::longValue).average().orElseThrow();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("recordsPerAnchor", records);
        row.put("samples", used.size());
        row.put("gasPerAnchorMean", Math.round(mean));
        row.put("gasPerAnchorMin", used.stream().mapToLong(Long::longValue).min().orElseThrow());
        row.put("gasPerAnchorMax", used.stream().mapToLong(Long::longValue).max().orElseThrow());
        row.put("gasPerRecord", Math.round(mean / records * 10) / 10.0);
        row.put("breakdownBaseTx", 21_000);
        row.put("breakdownCalldata", calldata);
        row.put("breakdownExecution", Math.round(mean) - 21_000 - calldata);
        row.put(
            "targetGasPerRecord",
            records == 64 ? Integer.valueOf(370) : records == 640 ? Integer.valueOf(37) : null);
        perBatch.put(Integer.toString(records), row);
      }
      gas.put("steadyStateAnchors", perBatch);
      BigInteger block = first.getBlockNumber();
      gas.put(
          "note",
          "first anchor in block " + block + " writes a zero slot (EIP-2200: 20,000 + 2,100 cold)");
    }
    return gas;
  }

  private static final int[] BATCH_SIZES = {1, 2, 3, 4, 8, 16, 32, 64};
  private static final int BATCH_SAMPLES = 3;

  /**
   * Gas of {@code anchorBatch} by batch size (devices per transaction) and records per anchor. The
   * devices are fresh keys with no ether (only the submitter pays); each is anchored once before
   * measuring, so every measured entry updates a non-zero slot, as in steady state.
   */
  private static Map<String, Object> batchGas() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    int pool = BATCH_SIZES[BATCH_SIZES.length - 1];
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO);
        ChainConnection connection = chain.connect()) {
      RegistryAdmin admin = Chains.registryAdmin(connection, chain.key(0));
      List<org.web3j.crypto.Credentials> devices = new ArrayList<>();
      for (int i = 0; i < pool; i++) {
        org.web3j.crypto.Credentials k =
            org.web3j.crypto.Credentials.create(org.web3j.crypto.Keys.createEcKeyPair());
        admin.register(DeviceAddress.parse(k.getAddress()), "sip:bench" + i + "@example.com");
        devices.add(k);
      }
      BatchAnchorer batches = Chains.batchAnchorer(connection, chain.key(9));
      long[] sizes = new long[pool];
      List<AnchorStatement> warmUp = new ArrayList<>();
      for (int i = 0; i < pool; i++) {
        sizes[i] = 1;
        warmUp.add(batches.sign(devices.get(i), checkpoint(1)));
      }
      out.put("firstBatchOf" + pool + "GasPerEntry", batches.submit(warmUp).gasUsed() / pool);
      Map<String, Object> rows = new LinkedHashMap<>();
      for (int records : new int[] {1, 64, 640}) {
        for (int batch : BATCH_SIZES) {
          List<Long> used = new ArrayList<>();
          long calldata = 0;
          for (int sample = 0; sample < BATCH_SAMPLES; sample++) {
            List<AnchorStatement> statements = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
              sizes[i] += records;
              statements.add(batches.sign(devices.get(i), checkpoint(sizes[i])));
            }
            calldata = calldataGas(ContractCalls.anchorBatch(statements));
            used.add(batches.submit(statements).gasUsed());
          }
          double mean = used.stream().mapToLong(Long::longValue).average().orElseThrow();
          double perEntry = mean / batch;
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("recordsPerAnchor", records);
          row.put("devicesPerBatch", batch);
          row.put("samples", used.size());
          row.put("gasPerBatchMean", Math.round(mean));
          row.put("gasPerAnchor", Math.round(perEntry));
          row.put("gasPerRecord", Math.round(perEntry / records * 10) / 10.0);
          row.put("calldataGasPerAnchor", calldata / batch);
          row.put(
              "targetGasPerRecord",
              records == 64 ? Integer.valueOf(370) : records == 640 ? Integer.valueOf(37) : null);
          rows.put(records + "records/" + batch + "devices", row);
        }
      }
      out.put("steadyStateBatches", rows);
    }
    return out;
  }

  private static Map<String, Object> latency() throws Exception {
    Map<String, Object> latency = new LinkedHashMap<>();
    for (int confirmations : new int[] {1, 2}) {
      Path data = Files.createTempDirectory("callchain-bench-");
      try (AnvilChain chain = AnvilChain.start(Duration.ofSeconds(1))) {
        ChainConfig config =
            chain
                .config(data)
                .withConfirmations(confirmations)
                .withPollInterval(Duration.ofMillis(100));
        try (ChainConnection connection = Chains.connect(config)) {
          Chains.registryAdmin(connection, chain.key(0))
              .register(chain.address(1), "sip:bench@example.com");
          List<Long> millis = new ArrayList<>();
          try (AnchorService service = Chains.anchorService(connection, config, chain.key(1))) {
            BlockingQueue<ConfirmedAnchor> done = new ArrayBlockingQueue<>(16);
            service.addListener(done::add);
            for (int i = 1; i <= LATENCY_SAMPLES; i++) {
              long start = System.nanoTime();
              service.anchorNow(checkpoint(i * 64L));
              ConfirmedAnchor a = done.poll(30, TimeUnit.SECONDS);
              if (a == null) {
                throw new IllegalStateException("anchor " + i + " not confirmed within 30 s");
              }
              millis.add((System.nanoTime() - start) / 1_000_000);
            }
          }
          List<Long> sorted = millis.stream().sorted().toList();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("blockTimeSeconds", 1);
          row.put("confirmations", confirmations);
          row.put("pollIntervalMillis", 100);
          row.put("samples", millis.size());
          row.put("millis", millis);
          row.put("p50Millis", sorted.get(sorted.size() / 2));
          row.put("maxMillis", sorted.get(sorted.size() - 1));
          latency.put("confirmations" + confirmations, row);
        }
      }
    }
    return latency;
  }
}
