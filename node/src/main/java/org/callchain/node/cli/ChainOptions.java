package org.callchain.node.cli;

import java.net.URI;
import java.nio.file.Path;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.ContractAddresses;
import org.callchain.chain.DeviceAddress;
import picocli.CommandLine.Option;

/** Where the chain and its contracts are, shared by the chain-facing commands. */
final class ChainOptions {
  @Option(
      names = "--rpc",
      required = true,
      paramLabel = "URL",
      description = "JSON-RPC endpoint of the chain (e.g. the URL 'callchain chain start' prints).")
  String rpc;

  @Option(
      names = "--chain-id",
      defaultValue = "31337",
      description = "Chain id the endpoint must serve (default: ${DEFAULT-VALUE}, Anvil's).")
  long chainId;

  @Option(
      names = "--registry",
      required = true,
      paramLabel = "ADDRESS",
      description = "DeviceRegistry address.")
  String registry;

  @Option(
      names = "--anchor",
      required = true,
      paramLabel = "ADDRESS",
      description = "LedgerAnchor address.")
  String anchor;

  ChainConnection connect() {
    return connect(config(Path.of(System.getProperty("java.io.tmpdir"))));
  }

  /** The chain configuration for these options, with its files under {@code dataDir}. */
  ChainConfig config(Path dataDir) {
    return ChainConfig.defaults(dataDir).withRemote(URI.create(rpc), chainId, contracts());
  }

  static ChainConnection connect(ChainConfig config) {
    try {
      return Chains.connect(config);
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
  }

  private ContractAddresses contracts() {
    return new ContractAddresses(address(registry, "--registry"), address(anchor, "--anchor"));
  }

  static DeviceAddress address(String text, String what) {
    try {
      return DeviceAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(what + ": " + e.getMessage(), OneLineErrors.USAGE);
    }
  }
}
