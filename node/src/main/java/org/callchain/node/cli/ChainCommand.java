package org.callchain.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.LocalChain;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code callchain chain start|deploy}: a local development chain, and deploying the contracts. */
@Command(
    name = "chain",
    description = "Run a local development chain or deploy the Callchain contracts.",
    mixinStandardHelpOptions = true)
final class ChainCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "start",
      description = {
        "Start Anvil (from tools/chain) in the foreground on a free loopback port, deploy the",
        "contracts, and print the RPC URL, the contract addresses and the development keys.",
        "Stops on Ctrl-C."
      })
  int start(
      @Option(
              names = "--block-time",
              defaultValue = "1",
              paramLabel = "SECONDS",
              description =
                  "Seconds per block; 0 mines one block per transaction (default: ${DEFAULT-VALUE}).")
          long blockTime,
      @Option(
              names = "--state",
              paramLabel = "FILE",
              description = "Keep the chain state in this file (loaded at start, saved on exit).")
          Path state)
      throws InterruptedException {
    if (blockTime < 0) {
      throw new CliException("--block-time must not be negative", OneLineErrors.USAGE);
    }
    LocalChain anvil;
    try {
      anvil = Chains.startAnvil(Duration.ofSeconds(blockTime), 31337, Optional.ofNullable(state));
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
    // On SIGINT/SIGTERM the hook waits (bounded) for Anvil to save its state and stop.
    ShutdownSignal signal =
        ShutdownSignal.install("callchain-chain-shutdown", Duration.ofSeconds(20));
    try {
      List<String> keys = anvil.devPrivateKeys();
      Deployment d;
      try {
        d =
            Chains.deploy(
                anvil.rpcUrl(),
                anvil.chainId(),
                Credentials.create(keys.get(0)),
                List.of(),
                Duration.ofSeconds(10));
      } catch (ChainException e) {
        throw new CliException("deploying to the local chain failed: " + e.getMessage());
      }
      var out = spec.commandLine().getOut();
      out.println("RPC URL:        " + anvil.rpcUrl());
      out.println("Chain id:       " + anvil.chainId());
      out.println("DeviceRegistry: " + d.contracts().registry());
      out.println("LedgerAnchor:   " + d.contracts().anchor());
      out.println("Admin/registrar: account 0");
      out.println("Development keys (public knowledge, never use them on a real chain):");
      for (int i = 0; i < keys.size(); i++) {
        out.printf(
            "  %d  %s  %s%n",
            i, DeviceAddress.parse(Credentials.create(keys.get(i)).getAddress()), keys.get(i));
      }
      out.println("Press Ctrl-C to stop.");
      out.flush();
      signal.await();
    } finally {
      anvil.close();
      signal.closed();
    }
    return 0;
  }

  @Command(
      name = "deploy",
      description =
          "Deploy DeviceRegistry and LedgerAnchor; the key's account becomes admin and registrar.")
  int deploy(
      @Option(
              names = "--rpc",
              required = true,
              paramLabel = "URL",
              description = "JSON-RPC endpoint.")
          String rpc,
      @Option(
              names = "--chain-id",
              defaultValue = "31337",
              description = "Chain id the endpoint must serve (default: ${DEFAULT-VALUE}).")
          long chainId,
      @Option(
              names = "--registrar",
              paramLabel = "ADDRESS",
              description = "Also grant the registrar role to this account (repeatable).")
          List<String> registrars,
      @Mixin KeyOptions key) {
    List<DeviceAddress> extra = new ArrayList<>();
    for (String r : registrars == null ? List.<String>of() : registrars) {
      extra.add(ChainOptions.address(r, "--registrar"));
    }
    Deployment d;
    try {
      d = Chains.deploy(rpc, chainId, key.credentials(), extra, Duration.ofSeconds(30));
    } catch (ChainException e) {
      throw new CliException(e.getMessage());
    }
    var out = spec.commandLine().getOut();
    out.println("DeviceRegistry: " + d.contracts().registry());
    out.println("LedgerAnchor:   " + d.contracts().anchor());
    out.println("Admin:          " + d.admin());
    out.println("Block:          " + d.deployedInBlock());
    return 0;
  }
}
