package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * Fee bumping on a real Anvil: the anchor transaction is signed at the market's fees, then the
 * market jumps (Anvil's next base fee set 1,000 gwei above what it pays) so it sits in the mempool;
 * after the timeout the service replaces it with the same nonce and fees above the new market, and
 * the anchor lands once, from the replacement.
 */
class FeeBumpInteropIT {
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  @TempDir Path data;

  private static void rpc(Web3jService service, String method, Object... params) throws Exception {
    VoidResponse r = new Request<>(method, List.of(params), service, VoidResponse.class).send();
    if (r.hasError()) {
      throw new AssertionError(method + " failed: " + r.getError().getMessage());
    }
  }

  @Test
  void aTransactionStuckBelowTheMarketIsReplacedAndLandsOnce() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO)) {
      ChainConfig config =
          chain.config(data).withConfirmations(1).withFeeBumpAfter(Duration.ofSeconds(3));
      DeviceAddress device = chain.address(7);
      HttpService http = new HttpService(chain.anvil.rpcUrl());
      Web3j web3j = Web3j.build(http);
      try (ChainConnection connection = Chains.connect(config)) {
        Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:desk7@example.com");
        rpc(http, "evm_setAutomine", false);
        try (AnchorService service = Chains.anchorService(connection, config, chain.key(7))) {
          service.anchorNow(AnchorServiceInteropIT.checkpoint(4));
          AnchorServiceInteropIT.await(
              "the anchor sent", () -> service.status().inFlight() == 1, Duration.ofSeconds(20));
          // The market jumps: the pending transaction cannot pay the next blocks' base fee.
          rpc(
              http,
              "anvil_setNextBlockBaseFeePerGas",
              "0x" + GWEI.multiply(BigInteger.valueOf(1000)).toString(16));
          rpc(http, "evm_mine");
          rpc(http, "evm_setIntervalMining", 1);
          AnchorServiceInteropIT.await(
              "the anchor confirmed",
              () -> service.confirmed().size() == 1,
              Duration.ofSeconds(60));
          ConfirmedAnchor a = service.confirmed().get(0);
          assertThat(a.nonce()).isZero();
          Transaction tx =
              web3j
                  .ethGetTransactionByHash(a.transactionHash())
                  .send()
                  .getTransaction()
                  .orElseThrow();
          assertThat(tx.getMaxFeePerGas())
              .as("the replacement pays above the jumped base fee")
              .isGreaterThan(GWEI.multiply(BigInteger.valueOf(500)));
        }
      } finally {
        web3j.shutdown();
      }
      assertThat(chain.anchoredSizes(device)).isEqualTo(java.util.Map.of(4L, 1));
      Web3j again = Web3j.build(new HttpService(chain.anvil.rpcUrl()));
      try {
        assertThat(
                again
                    .ethGetTransactionCount(device.hex(), DefaultBlockParameterName.LATEST)
                    .send()
                    .getTransactionCount())
            .isEqualTo(BigInteger.ONE);
      } finally {
        again.shutdown();
      }
    }
  }
}
