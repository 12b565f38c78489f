package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorService;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.Chains;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.Deployment;
import org.callchain.chain.LedgerAnchors;
import org.callchain.chain.LocalChain;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.internal.web3j.Web3jDeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.SyntheticCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * {@code ledger verify}, {@code audit}, {@code ledger export-proof} and {@code verify} with
 * anchors, against a real Anvil: a node's log anchored by its anchor service verifies against its
 * queue and the chain, a bundle carries its anchor and verifies on chain, a forged anchor reference
 * is refused, and a log rewritten under the same key fails the audit at the anchored size.
 */
class AnchoredLedgerCliInteropIT {
  @TempDir Path dir;

  /** Writes a node data dir of {@code key} with two commits; returns its checkpoints. */
  private static List<Checkpoint> writeLedger(Path data, DeviceKey key, long seed)
      throws Exception {
    try (Ledger ledger =
        Ledgers.open(Ledgers.rocksDbStore(data.resolve("ledger")), Clock.systemUTC())) {
      DeviceLog log = ledger.ownLog(key);
      SyntheticCalls calls = new SyntheticCalls(key.address(), seed);
      for (int i = 0; i < 6; i++) {
        log.append(calls.next());
      }
      Checkpoint first = log.commit();
      for (int i = 0; i < 4; i++) {
        log.append(calls.next());
      }
      return List.of(first, log.commit());
    }
  }

  private static String callIdAt(Path data, long leaf) throws Exception {
    try (Ledger ledger =
        Ledgers.open(Ledgers.rocksDbStore(data.resolve("ledger")), Clock.systemUTC())) {
      return ledger
          .log(ledger.ownDevice().orElseThrow())
          .orElseThrow()
          .record(leaf)
          .callId()
          .toString();
    }
  }

  @Test
  void anchoredLedgerVerifiesAndARewriteOrAForgedBundleIsNamed() throws Exception {
    try (LocalChain anvil = Chains.startAnvil(Duration.ZERO, 31337, Optional.empty())) {
      List<String> keys = anvil.devPrivateKeys();
      Deployment d =
          Chains.deploy(
              anvil.rpcUrl(),
              31337,
              Credentials.create(keys.get(0)),
              List.of(),
              Duration.ofSeconds(10));
      Credentials deviceAccount = Credentials.create(keys.get(1));
      DeviceKey key = new Web3jDeviceKey(deviceAccount.getEcKeyPair());
      Path data = dir.resolve("node");
      List<Checkpoint> checkpoints = writeLedger(data, key, 1);
      ChainConfig config =
          ChainConfig.defaults(data.resolve("chain"))
              .withRemote(URI.create(anvil.rpcUrl()), 31337, d.contracts())
              .withConfirmations(1)
              .withPollInterval(Duration.ofMillis(100));
      List<ConfirmedAnchor> confirmed;
      try (ChainConnection connection = Chains.connect(config)) {
        Chains.registryAdmin(connection, Credentials.create(keys.get(0)))
            .register(LedgerAnchors.chainDevice(key.address()), "sip:alice@example.com");
        try (AnchorService anchors = Chains.anchorService(connection, config, deviceAccount)) {
          for (Checkpoint c : checkpoints) {
            anchors.anchorNow(LedgerAnchors.checkpointOf(c));
          }
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (anchors.confirmed().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          confirmed = anchors.confirmed();
        }
      }
      assertThat(confirmed).hasSize(2);
      String[] chain = {
        "--rpc", anvil.rpcUrl(),
        "--registry", d.contracts().registry().toString(),
        "--anchor", d.contracts().anchor().toString()
      };

      CliRun fromQueue = CliRun.of("ledger", "verify", "--data-dir", data.toString());
      assertThat(fromQueue.exitCode()).as(fromQueue.out() + fromQueue.err()).isZero();
      assertThat(fromQueue.out()).contains("audit clean").contains("2 anchored checkpoints");
      CliRun fromChain =
          CliRun.of(concat(new String[] {"audit", "--data-dir", data.toString()}, chain));
      assertThat(fromChain.exitCode()).as(fromChain.out() + fromChain.err()).isZero();
      assertThat(fromChain.out()).contains("4 anchored checkpoints"); // queue and chain

      CliRun export =
          CliRun.of(
              concat(
                  new String[] {
                    "ledger", "export-proof", callIdAt(data, 7), "--data-dir", data.toString()
                  },
                  chain));
      assertThat(export.exitCode()).as(export.err()).isZero();
      Path bundle = Files.writeString(dir.resolve("bundle.json"), export.out());
      assertThat(export.out()).contains(confirmed.get(1).transactionHash());
      String[] verifyOnChain = {
        "--rpc", anvil.rpcUrl(), "--anchor", d.contracts().anchor().toString()
      };
      CliRun verified =
          CliRun.of(concat(new String[] {"verify", bundle.toString()}, verifyOnChain));
      assertThat(verified.exitCode()).as(verified.err()).isZero();
      assertThat(verified.out())
          .contains(
              "OK: anchored on chain 31337 at size 10 in tx " + confirmed.get(1).transactionHash());
      CliRun offline = CliRun.of("verify", bundle.toString());
      assertThat(offline.exitCode()).isZero();
      assertThat(offline.out()).contains("not checked: pass --rpc and --anchor");

      Path forged =
          Files.writeString(
              dir.resolve("forged.json"),
              export
                  .out()
                  .replace(confirmed.get(1).transactionHash(), confirmed.get(0).transactionHash()));
      CliRun refused = CliRun.of(concat(new String[] {"verify", forged.toString()}, verifyOnChain));
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).contains("anchor refused");

      // The same key writes another history into a fresh data dir: self-consistent, not anchored.
      Path rewritten = dir.resolve("rewritten");
      writeLedger(rewritten, key, 2);
      assertThat(CliRun.of("ledger", "verify", "--data-dir", rewritten.toString()).exitCode())
          .isZero();
      CliRun caught =
          CliRun.of(concat(new String[] {"audit", "--data-dir", rewritten.toString()}, chain));
      assertThat(caught.exitCode()).isEqualTo(1);
      assertThat(caught.out())
          .contains("PROBLEM device " + key.address() + " anchor at size 6")
          .contains("tx " + confirmed.get(0).transactionHash())
          .contains("block " + confirmed.get(0).blockNumber())
          .contains("anchor at size 10");
    }
  }

  private static String[] concat(String[] head, String[] tail) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
