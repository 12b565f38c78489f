package org.callchain.node;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.callchain.chain.AnchorAggregator;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorContract;
import org.callchain.chain.AnchorService;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.ContractAddresses;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.RootHash;
import org.callchain.ledger.Checkpoint;
import org.callchain.node.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The node's chain side: the connection (or the local Anvil it starts), the registry view, the
 * anchor service and, in anchor mode batch (ADR 0093), the anchor aggregator, closed in reverse
 * order. In batch mode every commit gets the device's signed anchor statement, which the node
 * gossips with the commit and offers to its own aggregator; the aggregator sends batches only while
 * {@link #leadWhen} says this node leads. On a local Anvil the node is alone on its own chain, so
 * it registers and funds its own device with Anvil's first development account (the deployer and
 * registry admin); on a configured chain that is the registrar's job.
 */
final class NodeChain implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeChain.class);

  /** Anvil's first development account (mnemonic "test ... junk", m/44'/60'/0'/0/0), public. */
  private static final String ANVIL_ADMIN_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  final ChainConfig config;
  final ChainConnection connection;
  final DeviceRegistryClient registry;
  final AnchorService anchors;
  final AnchorContract anchorContract;
  final Optional<AnchorAggregator> aggregator;
  private final Credentials key;
  private final AtomicReference<BooleanSupplier> leading;

  private NodeChain(
      ChainConfig config,
      ChainConnection connection,
      DeviceRegistryClient registry,
      AnchorService anchors,
      Optional<AnchorAggregator> aggregator,
      Credentials key,
      AtomicReference<BooleanSupplier> leading) {
    this.leading = leading;
    this.config = config;
    this.connection = connection;
    this.registry = registry;
    this.anchors = anchors;
    this.anchorContract = Chains.anchorContract(connection);
    this.aggregator = aggregator;
    this.key = key;
  }

  /** Sets the rule that says whether this node aggregates now (the network knows its peers). */
  void leadWhen(BooleanSupplier rule) {
    leading.set(rule);
  }

  static ChainConfig chainConfig(NodeConfig node) {
    NodeConfig.Chain c = node.chain();
    ChainConfig base =
        new ChainConfig(
            java.util.Optional.empty(),
            c.chainId(),
            java.util.Optional.empty(),
            c.confirmations(),
            c.anchorEveryRecords(),
            c.anchorEvery(),
            c.pollInterval(),
            ChainConfig.defaults(node.resolve(c.dir())).registryStaleAfter(),
            ChainConfig.defaults(node.resolve(c.dir())).rpcTimeout(),
            c.localBlockTime(),
            node.resolve(c.dir()));
    if (c.rpcUrl().isEmpty()) {
      return base;
    }
    return base.withRemote(
        c.rpcUrl().get(),
        c.chainId(),
        new ContractAddresses(
            DeviceAddress.parse(c.registry().orElseThrow()),
            DeviceAddress.parse(c.anchor().orElseThrow())));
  }

  static NodeChain start(NodeConfig node, NodeIdentity identity) throws ChainException {
    ChainConfig config = chainConfig(node);
    ChainConnection connection = Chains.connect(config);
    DeviceRegistryClient registry = null;
    try {
      DeviceAddress self = DeviceAddress.parse(identity.key().address().toHex());
      if (config.rpcUrl().isEmpty()) {
        selfRegisterOnLocalChain(connection, self, node.sip().uri());
      }
      registry = Chains.registry(connection, config);
      registry.sync();
      if (node.chain().anchorMode() == NodeConfig.AnchorMode.SINGLE) {
        AnchorService anchors = Chains.anchorService(connection, config, identity.credentials());
        return new NodeChain(
            config,
            connection,
            registry,
            anchors,
            Optional.empty(),
            identity.credentials(),
            new AtomicReference<>(() -> false));
      }
      AnchorService anchors =
          Chains.batchingAnchorService(
              connection, config, identity.credentials(), node.chain().anchorBatchWait());
      AtomicReference<BooleanSupplier> leading = new AtomicReference<>(() -> false);
      AnchorAggregator aggregator =
          Chains.anchorAggregator(
              connection, config, identity.credentials(), () -> leading.get().getAsBoolean());
      return new NodeChain(
          config,
          connection,
          registry,
          anchors,
          Optional.of(aggregator),
          identity.credentials(),
          leading);
    } catch (ChainException | RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      connection.close();
      throw e;
    }
  }

  /**
   * Offers a commit to the anchor service (it anchors on its cadence) and, in batch mode, signs the
   * device's anchor statement for it and offers that to the aggregator. Returns the statement, to
   * be gossiped with the commit.
   */
  Optional<AnchorStatement> committed(Checkpoint checkpoint) {
    if (checkpoint.treeSize() == 0) {
      return Optional.empty();
    }
    AnchorCheckpoint anchor =
        new AnchorCheckpoint(checkpoint.treeSize(), new RootHash(checkpoint.rootHash().toBytes()));
    Optional<AnchorStatement> statement = aggregator.map(a -> anchorContract.sign(key, anchor));
    statement.ifPresent(s -> aggregator.get().offer(s));
    try {
      anchors.committed(anchor);
    } catch (ChainException e) {
      // The queue is on disk; the next commit offers a newer checkpoint covering this one.
      LOG.warn("anchor of tree size {} not queued: {}", checkpoint.treeSize(), e.getMessage());
    }
    return statement;
  }

  /** A peer's statement heard with its commit: the aggregator may batch it. */
  void statementReceived(AnchorStatement statement) {
    aggregator.ifPresent(a -> a.offer(statement));
  }

  private static void selfRegisterOnLocalChain(
      ChainConnection connection, DeviceAddress self, String sipUri) throws ChainException {
    Credentials admin = Credentials.create(ANVIL_ADMIN_KEY);
    List<org.callchain.chain.DeviceRecord> devices = Chains.listDevices(connection);
    if (devices.stream().noneMatch(d -> d.address().equals(self))) {
      Chains.registryAdmin(connection, admin).register(self, sipUri);
      LOG.info("registered {} as {} on the local chain", self, sipUri);
    }
    HttpService http = new HttpService(connection.rpcUrl());
    try {
      // Anvil's own RPC (anvil_setBalance): 100 ether, for anchor gas.
      VoidResponse r =
          new Request<>(
                  "anvil_setBalance",
                  List.of(self.hex(), "0x56bc75e2d63100000"),
                  http,
                  VoidResponse.class)
              .send();
      if (r.hasError()) {
        throw new ChainException(
            ChainException.Reason.INVALID_INPUT,
            "the local chain refused to fund the device: " + r.getError().getMessage());
      }
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Reason.UNREACHABLE, "cannot fund the device on the local chain", e);
    } finally {
      try {
        http.close();
      } catch (IOException e) {
        LOG.debug("closing the funding client: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    aggregator.ifPresent(AnchorAggregator::close);
    anchors.close();
    registry.close();
    connection.close();
  }
}
