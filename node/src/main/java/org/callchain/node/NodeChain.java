package org.callchain.node;

import java.io.IOException;
import java.util.List;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorService;
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
 * The node's chain side: the connection (or the local Anvil it starts), the registry view and the
 * anchor service, closed in reverse order. On a local Anvil the node is alone on its own chain, so
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

  private NodeChain(
      ChainConfig config,
      ChainConnection connection,
      DeviceRegistryClient registry,
      AnchorService anchors) {
    this.config = config;
    this.connection = connection;
    this.registry = registry;
    this.anchors = anchors;
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
      AnchorService anchors = Chains.anchorService(connection, config, identity.credentials());
      return new NodeChain(config, connection, registry, anchors);
    } catch (ChainException | RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      connection.close();
      throw e;
    }
  }

  /** Offers a commit to the anchor service; it anchors on its cadence. */
  void committed(Checkpoint checkpoint) {
    if (checkpoint.treeSize() == 0) {
      return;
    }
    try {
      anchors.committed(
          new AnchorCheckpoint(
              checkpoint.treeSize(), new RootHash(checkpoint.rootHash().toBytes())));
    } catch (ChainException e) {
      // The queue is on disk; the next commit offers a newer checkpoint covering this one.
      LOG.warn("anchor of tree size {} not queued: {}", checkpoint.treeSize(), e.getMessage());
    }
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
    anchors.close();
    registry.close();
    connection.close();
  }
}
