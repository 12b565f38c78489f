package org.callchain.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callchain.contracts.generated.LedgerAnchor;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * Test fixture: a real Anvil from the project's pinned npm package with both contracts deployed by
 * dev account 0 (admin and registrar). Fails, never skips, when Anvil is missing (ADR 0002): the
 * message names the npm package.
 */
final class AnvilChain implements AutoCloseable {
  final LocalChain anvil;
  final Deployment deployment;
  final Path dataDir;
  final Path stateFile;

  private AnvilChain(LocalChain anvil, Deployment deployment, Path dataDir, Path stateFile) {
    this.anvil = anvil;
    this.deployment = deployment;
    this.dataDir = dataDir;
    this.stateFile = stateFile;
  }

  /** Zero block time mines on every transaction. */
  static AnvilChain start(Duration blockTime) throws ChainException, IOException {
    Path dir = Files.createTempDirectory("callchain-chain-it-");
    Path state = dir.resolve("anvil-state.json");
    LocalChain anvil = Chains.startAnvil(blockTime, ChainConfig.ANVIL_CHAIN_ID, Optional.of(state));
    try {
      Deployment d =
          Chains.deploy(
              anvil.rpcUrl(), anvil.chainId(), key(anvil, 0), List.of(), Duration.ofSeconds(10));
      return new AnvilChain(anvil, d, dir, state);
    } catch (ChainException | RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  /**
   * Kills Anvil (SIGKILL, an outage) once it has written its state file after this call began.
   * Anvil dumps its state every second ({@code --state-interval 1}); a kill before the next dump
   * would lose the latest blocks, and a later {@code restart()} would start from an older chain.
   */
  void killAfterStateSaved() throws IOException, InterruptedException {
    java.nio.file.attribute.FileTime asked =
        java.nio.file.attribute.FileTime.from(java.time.Instant.now());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(stateFile) || Files.getLastModifiedTime(stateFile).compareTo(asked) <= 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Anvil did not write its state file " + stateFile + " within 10 s");
      }
      Thread.sleep(50);
    }
    anvil.kill();
  }

  static Credentials key(LocalChain anvil, int index) {
    return Credentials.create(anvil.devPrivateKeys().get(index));
  }

  Credentials key(int index) {
    return key(anvil, index);
  }

  DeviceAddress address(int index) {
    return DeviceAddress.parse(key(index).getAddress());
  }

  ChainConfig config(Path dataDir) {
    return ChainConfig.defaults(dataDir)
        .withRemote(java.net.URI.create(anvil.rpcUrl()), anvil.chainId(), deployment.contracts())
        .withPollInterval(Duration.ofMillis(200));
  }

  ChainConnection connect() throws ChainException {
    return Chains.connect(config(dataDir));
  }

  /** How many successful Anchored events the chain holds for each tree size of a device. */
  Map<Long, Integer> anchoredSizes(DeviceAddress device) throws IOException {
    Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
    try {
      EthFilter filter =
          new EthFilter(
              DefaultBlockParameterName.EARLIEST,
              DefaultBlockParameterName.LATEST,
              deployment.contracts().anchor().hex());
      filter.addSingleTopic(EventEncoder.encode(LedgerAnchor.ANCHORED_EVENT));
      filter.addSingleTopic("0x" + "0".repeat(24) + device.hex().substring(2));
      EthLog logs = web3j.ethGetLogs(filter).send();
      Map<Long, Integer> counts = new HashMap<>();
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        LedgerAnchor.AnchoredEventResponse e = LedgerAnchor.getAnchoredEventFromLog((Log) r.get());
        counts.merge(e.treeSize.longValueExact(), 1, Integer::sum);
      }
      return counts;
    } finally {
      web3j.shutdown();
    }
  }

  static BigInteger wei(long ether) {
    return BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(ether));
  }

  @Override
  public void close() {
    anvil.close();
  }
}
