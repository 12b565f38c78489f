package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no RPC URL configured the node runs its own chain: Anvil from the project's npm package,
 * contracts deployed on first start, reused (from Anvil's state file) on the next.
 */
class LocalChainInteropIT {
  @TempDir Path data;

  @Test
  void startsAnvilDeploysOnceAndReusesTheDeploymentAfterARestart() throws Exception {
    ChainConfig config = ChainConfig.defaults(data);
    ContractAddresses first;
    try (ChainConnection connection = Chains.connect(config)) {
      first = connection.contracts();
      assertThat(connection.rpcUrl()).startsWith("http://127.0.0.1:");
      assertThat(connection.chainId()).isEqualTo(ChainConfig.ANVIL_CHAIN_ID);
      assertThat(Chains.listDevices(connection)).isEmpty();
    }
    assertThat(Files.exists(data.resolve("local-chain/state.json"))).isTrue();
    assertThat(Files.exists(data.resolve("local-chain/deployment.json"))).isTrue();

    try (ChainConnection again = Chains.connect(config)) {
      assertThat(again.contracts()).isEqualTo(first);
      assertThat(again.blockNumber()).isPositive();
    }
  }
}
