package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.BatchAnchorer.BatchReceipt;
import org.callchain.chain.internal.web3j.ContractCalls;
import org.callchain.chain.internal.web3j.JsonRpc;
import org.callchain.chain.internal.web3j.SigningAccount;
import org.callchain.contracts.generated.LedgerAnchor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * {@code LedgerAnchor.anchorBatch} against a real Anvil: an account that is no device submits the
 * signed statements of several devices in one transaction; statements of an unregistered or a
 * revoked device, a forged or replayed statement and a non-growing size each refuse the whole
 * batch, naming the entry; the single-device {@code anchor} path keeps working beside it.
 */
class BatchAnchorInteropIT {
  @TempDir Path data;

  private static AnchorCheckpoint checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    root[31] = (byte) 0x5a;
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  @Test
  void anyoneSubmitsSignedStatementsOfRegisteredDevicesInOneTransaction() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO);
        ChainConnection connection = chain.connect()) {
      RegistryAdmin admin = Chains.registryAdmin(connection, chain.key(0));
      Credentials a = chain.key(1);
      Credentials b = chain.key(2);
      Credentials c = Credentials.create(Keys.createEcKeyPair()); // holds no ether at all
      Credentials stranger = Credentials.create(Keys.createEcKeyPair());
      Credentials revoked = chain.key(3);
      for (Credentials k : List.of(a, b, c, revoked)) {
        admin.register(DeviceAddress.parse(k.getAddress()), "sip:" + k.getAddress() + "@x.org");
      }
      admin.revoke(DeviceAddress.parse(revoked.getAddress()));
      BatchAnchorer batches = Chains.batchAnchorer(connection, chain.key(9)); // not a device

      AnchorStatement sa = batches.sign(a, checkpoint(10));
      AnchorStatement sb = batches.sign(b, checkpoint(64));
      AnchorStatement sc = batches.sign(c, checkpoint(640));
      assertThat(sa.signatureValid(connection.chainId(), connection.contracts().anchor())).isTrue();
      assertThat(
              AnchorStatement.digest(
                  connection.chainId(), connection.contracts().anchor(), checkpoint(10)))
          .isEqualTo(contractDigest(chain, 10));

      BatchReceipt landed = batches.submit(List.of(sa, sb, sc));
      assertThat(landed.entries()).isEqualTo(3);
      for (AnchorStatement s : List.of(sa, sb, sc)) {
        assertThat(Chains.anchorHistory(connection, s.device(), 0))
            .singleElement()
            .satisfies(
                h -> {
                  assertThat(h.checkpoint()).isEqualTo(s.checkpoint());
                  assertThat(h.transactionHash()).isEqualTo(landed.transactionHash());
                });
      }

      assertThatThrownBy(() -> batches.submit(List.of(sa)))
          .isInstanceOf(ChainException.class)
          .hasMessageContaining("batch entry 0")
          .hasMessageContaining("not greater than its anchored size 10");
      assertThatThrownBy(
              () ->
                  batches.submit(
                      List.of(
                          batches.sign(a, checkpoint(11)), batches.sign(stranger, checkpoint(5)))))
          .hasMessageContaining(
              "batch entry 1: device "
                  + DeviceAddress.parse(stranger.getAddress())
                  + " is not an active registered device");
      assertThatThrownBy(() -> batches.submit(List.of(batches.sign(revoked, checkpoint(5)))))
          .hasMessageContaining("batch entry 0: device")
          .hasMessageContaining("is not an active registered device");
      // a's signature over size 11, presented as size 12: recovers some other key.
      AnchorStatement signed11 = batches.sign(a, checkpoint(11));
      AnchorStatement forged =
          new AnchorStatement(sa.device(), checkpoint(12), signed11.r(), signed11.yParityAndS());
      assertThat(forged.signatureValid(connection.chainId(), connection.contracts().anchor()))
          .isFalse();
      assertThatThrownBy(() -> batches.submit(List.of(forged)))
          .hasMessageContaining("batch entry 0: device")
          .hasMessageContaining("is not an active registered device");
      // A statement for another anchor contract does not count here.
      AnchorStatement elsewhere =
          AnchorStatement.sign(a, connection.chainId(), chain.address(8), checkpoint(13));
      assertThatThrownBy(() -> batches.submit(List.of(elsewhere)))
          .hasMessageContaining("is not an active registered device");

      // The device's own single anchor works beside batches, and batches respect it.
      try (JsonRpc rpc = new JsonRpc(chain.anvil.rpcUrl(), Duration.ofSeconds(10))) {
        new SigningAccount(rpc, chain.anvil.chainId(), b)
            .sendAndWait(
                Optional.of(connection.contracts().anchor()),
                ContractCalls.anchor(checkpoint(100)),
                "anchor",
                Duration.ofSeconds(10));
      }
      assertThatThrownBy(() -> batches.submit(List.of(batches.sign(b, checkpoint(90)))))
          .hasMessageContaining("not greater than its anchored size 100");
      assertThat(batches.submit(List.of(signed11, batches.sign(b, checkpoint(101)))).entries())
          .isEqualTo(2);
      assertThat(chain.anchoredSizes(sa.device())).containsOnlyKeys(10L, 11L);
      assertThat(chain.anchoredSizes(sb.device())).containsOnlyKeys(64L, 100L, 101L);
    }
  }

  @Test
  void theAnchorServiceSendsItsCheckpointsAsSignedStatements() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO)) {
      ChainConfig config = chain.config(data).withConfirmations(1);
      DeviceAddress device = chain.address(5);
      try (ChainConnection connection = Chains.connect(config)) {
        Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:desk5@example.com");
        try (AnchorService service =
            Chains.statementAnchorService(connection, config, chain.key(5))) {
          service.anchorNow(checkpoint(3));
          service.anchorNow(checkpoint(7));
          AnchorServiceInteropIT.await(
              "both anchors confirmed",
              () -> service.confirmed().size() == 2,
              Duration.ofSeconds(60));
        }
      }
      assertThat(chain.anchoredSizes(device)).containsOnlyKeys(3L, 7L).containsValues(1);
    }
  }

  private static byte[] contractDigest(AnvilChain chain, long size) throws Exception {
    Web3j web3j = Web3j.build(new HttpService(chain.anvil.rpcUrl()));
    try {
      LedgerAnchor anchor =
          LedgerAnchor.load(
              chain.deployment.contracts().anchor().hex(),
              web3j,
              new ReadonlyTransactionManager(web3j, chain.key(0).getAddress()),
              new DefaultGasProvider());
      return anchor
          .statementDigest(java.math.BigInteger.valueOf(size), checkpoint(size).root().bytes())
          .send();
    } finally {
      web3j.shutdown();
    }
  }
}
