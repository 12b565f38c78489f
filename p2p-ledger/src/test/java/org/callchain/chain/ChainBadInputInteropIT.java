package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.callchain.chain.AnchorServiceInteropIT.await;
import static org.callchain.chain.AnchorServiceInteropIT.checkpoint;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;

/**
 * Wrong chain id, wrong contract address, an unfunded account, a refused anchor: each is one clear
 * error, and the anchor queue is kept until the cause is fixed.
 */
class ChainBadInputInteropIT {
  private static AnvilChain chain;
  @TempDir Path data;

  @BeforeAll
  static void startChain() throws Exception {
    chain = AnvilChain.start(Duration.ZERO);
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void refusesAnEndpointOfAnotherChain() {
    ChainConfig wrongChain =
        chain
            .config(data)
            .withRemote(URI.create(chain.anvil.rpcUrl()), 1, chain.deployment.contracts());
    assertThatThrownBy(() -> Chains.connect(wrongChain))
        .isInstanceOf(ChainException.class)
        .hasMessage(
            "the endpoint "
                + chain.anvil.rpcUrl()
                + " serves chain id 31337, but chain id 1 is configured");
  }

  @Test
  void refusesAnAddressWithoutContractCode() {
    ContractAddresses wrong =
        new ContractAddresses(chain.address(7), chain.deployment.contracts().anchor());
    ChainConfig config =
        chain.config(data).withRemote(URI.create(chain.anvil.rpcUrl()), 31337, wrong);
    assertThatThrownBy(() -> Chains.connect(config))
        .isInstanceOf(ChainException.class)
        .satisfies(
            e ->
                assertThat(((ChainException) e).reason())
                    .isEqualTo(ChainException.Reason.MISSING_CONTRACT))
        .hasMessageContaining("no DeviceRegistry contract at " + chain.address(7));
  }

  @Test
  void reportsAnUnreachableEndpoint() {
    ChainConfig config =
        chain
            .config(data)
            .withRemote(URI.create("http://127.0.0.1:1"), 31337, chain.deployment.contracts());
    assertThatThrownBy(() -> Chains.connect(config))
        .isInstanceOf(ChainException.class)
        .satisfies(
            e ->
                assertThat(((ChainException) e).reason())
                    .isEqualTo(ChainException.Reason.UNREACHABLE))
        .hasMessageContaining("is unreachable");
  }

  @Test
  void keepsTheQueueOfAnUnfundedDeviceUntilItIsFunded() throws Exception {
    Credentials poor = Credentials.create(Keys.createEcKeyPair());
    DeviceAddress device = DeviceAddress.parse(poor.getAddress());
    // Anvil mines only on transactions here: no block would ever come on top of the anchor.
    ChainConfig config = chain.config(data).withConfirmations(1);
    try (ChainConnection connection = Chains.connect(config)) {
      assertThatThrownBy(() -> connection.requireFunded(device))
          .hasMessageContaining("has no ether on chain 31337");
      Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:poor@example.com");
      try (AnchorService service = Chains.anchorService(connection, config, poor)) {
        service.anchorNow(checkpoint(1));
        await(
            "the funding error",
            () ->
                service
                    .status()
                    .lastError()
                    .map(e -> e.contains("cannot pay for an anchor"))
                    .orElse(false),
            Duration.ofSeconds(20));
        assertThat(service.status().queued()).isEqualTo(1);
        assertThat(service.status().nextNonce()).isZero();

        Web3j web3j = Web3j.build(new HttpService(chain.anvil.rpcUrl()));
        try {
          Transfer.sendFunds(
                  web3j, chain.key(0), poor.getAddress(), BigDecimal.ONE, Convert.Unit.ETHER)
              .send();
        } finally {
          web3j.shutdown();
        }
        await(
            "the anchor confirmed", () -> service.confirmed().size() == 1, Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void keepsTheQueueWhileTheContractRefusesAndSendsOnceTheDeviceIsRegistered() throws Exception {
    DeviceAddress device = chain.address(6);
    // Anvil mines only on transactions here: no block would ever come on top of the anchor.
    ChainConfig config = chain.config(data).withConfirmations(1);
    try (ChainConnection connection = Chains.connect(config)) {
      try (AnchorService service = Chains.anchorService(connection, config, chain.key(6))) {
        service.anchorNow(checkpoint(3));
        await(
            "the refusal",
            () ->
                service
                    .status()
                    .lastError()
                    .map(e -> e.contains("is not an active registered device"))
                    .orElse(false),
            Duration.ofSeconds(20));
        assertThat(service.status().queued()).isEqualTo(1);

        Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:late@example.com");
        await(
            "the anchor confirmed", () -> service.confirmed().size() == 1, Duration.ofSeconds(30));
        assertThat(chain.anchoredSizes(device)).containsExactly(java.util.Map.entry(3L, 1));
      }
    }
  }
}
