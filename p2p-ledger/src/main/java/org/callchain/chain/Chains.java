package org.callchain.chain;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.internal.anchor.AnchorEngine;
import org.callchain.chain.internal.anchor.BatchAggregator;
import org.callchain.chain.internal.anchor.DefaultAnchorService;
import org.callchain.chain.internal.anvil.AnvilNode;
import org.callchain.chain.internal.anvil.LocalDeployment;
import org.callchain.chain.internal.rocksdb.RocksAnchorQueue;
import org.callchain.chain.internal.web3j.AnchorHistory;
import org.callchain.chain.internal.web3j.AnchorLookup;
import org.callchain.chain.internal.web3j.ContractDeployer;
import org.callchain.chain.internal.web3j.ContractReads;
import org.callchain.chain.internal.web3j.JsonRpc;
import org.callchain.chain.internal.web3j.SigningAccount;
import org.callchain.chain.internal.web3j.Web3jAnchorChain;
import org.callchain.chain.internal.web3j.Web3jBatchAnchorer;
import org.callchain.chain.internal.web3j.Web3jChainConnection;
import org.callchain.chain.internal.web3j.Web3jRegistryAdmin;
import org.callchain.chain.internal.web3j.Web3jRegistryClient;
import org.web3j.crypto.Credentials;

/**
 * The one place that builds the chain clients. Files in the data directory ({@link
 * ChainConfig#dataDir()}): {@code anchor-queue/} (RocksDB), {@code registry-snapshot.json}, and for
 * the local chain {@code local-chain/state.json} (Anvil's state) and {@code
 * local-chain/deployment.json} (contract addresses).
 */
public final class Chains {
  private Chains() {}

  /**
   * Connects to the configured endpoint and checks it. Without an RPC URL, starts the local Anvil
   * (its state in the data directory) and deploys the contracts on its first start; the returned
   * connection stops Anvil when closed.
   */
  public static ChainConnection connect(ChainConfig config) throws ChainException {
    if (config.rpcUrl().isPresent()) {
      return Web3jChainConnection.open(
          config.rpcUrl().get().toString(),
          config.chainId(),
          config.contracts().orElseThrow(),
          config.rpcTimeout(),
          Optional.empty());
    }
    Path dir = config.dataDir().resolve("local-chain");
    LocalChain anvil =
        startAnvil(
            config.localBlockTime(), config.chainId(), Optional.of(dir.resolve("state.json")));
    try {
      Path deploymentFile = dir.resolve("deployment.json");
      Optional<Deployment> known = LocalDeployment.read(deploymentFile);
      if (known.isPresent() && known.get().chainId() == anvil.chainId()) {
        try {
          return Web3jChainConnection.open(
              anvil.rpcUrl(),
              anvil.chainId(),
              known.get().contracts(),
              config.rpcTimeout(),
              Optional.of(anvil));
        } catch (ChainException e) {
          if (e.reason() != ChainException.Reason.MISSING_CONTRACT) {
            throw e;
          }
          // the state file was removed: deploy again below
        }
      }
      Deployment d =
          deploy(
              anvil.rpcUrl(),
              anvil.chainId(),
              Credentials.create(anvil.devPrivateKeys().get(0)),
              List.of(),
              config.rpcTimeout());
      LocalDeployment.write(deploymentFile, d);
      return Web3jChainConnection.open(
          anvil.rpcUrl(), anvil.chainId(), d.contracts(), config.rpcTimeout(), Optional.of(anvil));
    } catch (ChainException | RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  /**
   * Connects to {@code rpcUrl} knowing only the anchor contract (what a proof bundle verifier
   * pins); the registry is the one that contract was deployed against.
   */
  public static ChainConnection connectToAnchor(
      String rpcUrl, long chainId, DeviceAddress anchor, Duration timeout) throws ChainException {
    return Web3jChainConnection.openByAnchor(rpcUrl, chainId, anchor, timeout);
  }

  /** Starts Anvil from the project's pinned npm package; zero block time mines per transaction. */
  public static LocalChain startAnvil(Duration blockTime, long chainId, Optional<Path> stateFile)
      throws ChainException {
    return AnvilNode.start(new AnvilNode.Options(blockTime, chainId, stateFile));
  }

  /**
   * Deploys both contracts from {@code admin} (who becomes admin and registrar) and grants the
   * registrar role to {@code registrars}.
   */
  public static Deployment deploy(
      String rpcUrl,
      long chainId,
      Credentials admin,
      List<DeviceAddress> registrars,
      Duration timeout)
      throws ChainException {
    try (JsonRpc rpc = new JsonRpc(rpcUrl, timeout)) {
      return ContractDeployer.deploy(new SigningAccount(rpc, chainId, admin), chainId, registrars);
    }
  }

  /** A registry view that follows the chain in the background and keeps a snapshot on disk. */
  public static DeviceRegistryClient registry(ChainConnection connection, ChainConfig config)
      throws ChainException {
    return new Web3jRegistryClient(web3j(connection), config, Clock.systemUTC());
  }

  /** Registry changes signed by {@code account} (a registrar, or an admin for roles). */
  public static RegistryAdmin registryAdmin(ChainConnection connection, Credentials account) {
    Web3jChainConnection c = web3j(connection);
    return new Web3jRegistryAdmin(new SigningAccount(c.rpc(), c.chainId(), account), c);
  }

  /**
   * The anchor service of the device whose key is {@code device}; its queue lives in {@code <data
   * dir>/anchor-queue}. Only one service may use a data directory at a time.
   */
  public static AnchorService anchorService(
      ChainConnection connection, ChainConfig config, Credentials device) throws ChainException {
    return anchorService(connection, config, device, false);
  }

  /**
   * The anchor service of {@code device} sending each checkpoint as the device's own signed
   * statement through {@code anchorBatch} (ADR 0052) instead of {@code anchor}; same queue, nonces
   * and guarantees.
   */
  public static AnchorService statementAnchorService(
      ChainConnection connection, ChainConfig config, Credentials device) throws ChainException {
    return anchorService(connection, config, device, true);
  }

  private static AnchorService anchorService(
      ChainConnection connection, ChainConfig config, Credentials device, boolean statements)
      throws ChainException {
    Web3jChainConnection c = web3j(connection);
    SigningAccount account = new SigningAccount(c.rpc(), c.chainId(), device);
    RocksAnchorQueue queue = RocksAnchorQueue.open(anchorQueueDir(config.dataDir()));
    try {
      Web3jAnchorChain chain =
          new Web3jAnchorChain(account, c, statements ? Optional.of(device) : Optional.empty());
      return new DefaultAnchorService(queue, chain, config, Clock.systemUTC(), () -> {});
    } catch (ChainException | RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  /**
   * The anchor service of {@code device} in anchor mode batch (ADR 0093): each queued checkpoint
   * first waits up to {@code awaitBatch} for an aggregator's batch to anchor it (or a later one),
   * then the service sends it itself with {@code anchor}. Same queue, nonces and guarantees.
   */
  public static AnchorService batchingAnchorService(
      ChainConnection connection, ChainConfig config, Credentials device, Duration awaitBatch)
      throws ChainException {
    Web3jChainConnection c = web3j(connection);
    SigningAccount account = new SigningAccount(c.rpc(), c.chainId(), device);
    RocksAnchorQueue queue = RocksAnchorQueue.open(anchorQueueDir(config.dataDir()));
    try {
      return new DefaultAnchorService(
          queue,
          new Web3jAnchorChain(account, c),
          config,
          Clock.systemUTC(),
          Optional.of(awaitBatch),
          () -> {});
    } catch (ChainException | RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  /**
   * The aggregator that anchors other devices' statements (and the own) in batches paid by {@code
   * submitter}, on the cadence of {@code config}, every poll interval (at most 250 ms) while {@code
   * leading} is true (ADR 0093).
   */
  public static AnchorAggregator anchorAggregator(
      ChainConnection connection,
      ChainConfig config,
      Credentials submitter,
      java.util.function.BooleanSupplier leading) {
    Web3jChainConnection c = web3j(connection);
    ContractReads reads =
        new ContractReads(c.rpc(), c.contracts().registry(), c.contracts().anchor());
    return new BatchAggregator(
        batchAnchorer(connection, submitter),
        device -> {
          synchronized (reads) {
            reads.atBlock(Optional.empty());
            return reads.latestAnchor(device).component1().longValueExact();
          }
        },
        leading,
        config.anchorEveryRecords(),
        config.anchorEvery(),
        // At most a quarter of a typical 1 s block: the round adds little to the anchor lag.
        config.pollInterval().compareTo(Duration.ofMillis(250)) < 0
            ? config.pollInterval()
            : Duration.ofMillis(250),
        Clock.systemUTC());
  }

  /** The chain id and anchor contract this connection's statements are bound to. */
  public static AnchorContract anchorContract(ChainConnection connection) {
    Web3jChainConnection c = web3j(connection);
    return new AnchorContract(c.chainId(), c.contracts().anchor());
  }

  /**
   * Submits batches of other devices' signed {@link AnchorStatement}s from {@code submitter}'s
   * account (which pays; it need not be a registered device). ADR 0052.
   */
  public static BatchAnchorer batchAnchorer(ChainConnection connection, Credentials submitter) {
    Web3jChainConnection c = web3j(connection);
    return new Web3jBatchAnchorer(
        new SigningAccount(c.rpc(), c.chainId(), submitter), c, Duration.ofSeconds(60));
  }

  /** Every device in the registry, read from the chain now (registration order). */
  public static List<DeviceRecord> listDevices(ChainConnection connection) throws ChainException {
    Web3jChainConnection c = web3j(connection);
    ContractReads reads =
        new ContractReads(c.rpc(), c.contracts().registry(), c.contracts().anchor());
    reads.atBlock(Optional.of(c.blockNumber()));
    List<DeviceRecord> out = new java.util.ArrayList<>();
    long count = reads.deviceCount();
    for (long offset = 0; offset < count; offset += 100) {
      for (DeviceAddress a : reads.devicesPage(offset, 100)) {
        reads.device(a).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Every anchor of a device on chain, oldest first, from its {@code Anchored} events: the full
   * roots, the blocks and transactions (a proof bundle's anchor reference).
   */
  public static List<OnChainAnchor> anchorHistory(
      ChainConnection connection, DeviceAddress device, long fromBlock) throws ChainException {
    return AnchorHistory.of(web3j(connection), device, fromBlock);
  }

  /**
   * Checks a claimed anchor against the chain: transaction {@code transactionHash} succeeded in
   * block {@code blockNumber}, which is canonical, and emitted the anchor contract's {@code
   * Anchored} event for {@code device} with exactly this size and root.
   *
   * @throws ChainException with {@link ChainException.Reason#ANCHOR_NOT_ON_CHAIN} naming the first
   *     check that failed, or a transport reason
   */
  public static OnChainAnchor verifyAnchor(
      ChainConnection connection,
      DeviceAddress device,
      AnchorCheckpoint checkpoint,
      String transactionHash,
      long blockNumber)
      throws ChainException {
    return AnchorLookup.verify(web3j(connection), device, checkpoint, transactionHash, blockNumber);
  }

  /**
   * The confirmed anchors recorded in the anchor queue of {@code dataDir}, oldest first, read
   * without the chain (what {@code ledger verify} checks the own log against). Empty when the
   * directory holds no anchor queue.
   */
  public static List<ConfirmedAnchor> readConfirmedAnchors(Path dataDir) throws ChainException {
    Path dir = anchorQueueDir(dataDir);
    if (!java.nio.file.Files.isDirectory(dir)) {
      return List.of();
    }
    try (RocksAnchorQueue queue = RocksAnchorQueue.openReadOnly(dir)) {
      return queue.confirmed();
    }
  }

  /** The anchor queue's status read from disk, without the chain (for {@code anchor status}). */
  public static AnchorStatus readAnchorStatus(Path dataDir) throws ChainException {
    try (RocksAnchorQueue queue = RocksAnchorQueue.openReadOnly(anchorQueueDir(dataDir))) {
      return AnchorEngine.statusOf(queue, Clock.systemUTC(), 0, Optional.empty());
    }
  }

  public static Path anchorQueueDir(Path dataDir) {
    return dataDir.resolve("anchor-queue");
  }

  private static Web3jChainConnection web3j(ChainConnection connection) {
    if (connection instanceof Web3jChainConnection c) {
      return c;
    }
    throw new IllegalArgumentException("not a connection made by Chains.connect");
  }
}
