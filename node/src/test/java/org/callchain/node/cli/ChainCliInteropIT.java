package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorService;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.LocalChain;
import org.callchain.chain.RootHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** The device and anchor commands against a real Anvil, as an operator would use them. */
class ChainCliInteropIT {
  @TempDir Path dir;

  @Test
  void registersListsRevokesDevicesAndShowsTheAnchorStatus() throws Exception {
    try (LocalChain anvil = Chains.startAnvil(Duration.ZERO, 31337, Optional.empty())) {
      List<String> keys = anvil.devPrivateKeys();
      Deployment d =
          Chains.deploy(
              anvil.rpcUrl(),
              31337,
              Credentials.create(keys.get(0)),
              List.of(),
              Duration.ofSeconds(10));
      Path keyFile = Files.writeString(dir.resolve("registrar.key"), keys.get(0) + "\n");
      String device = Credentials.create(keys.get(1)).getAddress();
      String[] chain = {
        "--rpc", anvil.rpcUrl(),
        "--registry", d.contracts().registry().toString(),
        "--anchor", d.contracts().anchor().toString()
      };

      CliRun register =
          CliRun.of(
              concat(
                  new String[] {"device", "register", device, "sip:alice@example.com"},
                  chain,
                  "--key-file",
                  keyFile.toString()));
      assertThat(register.exitCode()).as(register.err()).isZero();
      assertThat(register.out())
          .contains(
              "registered 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 as sip:alice@example.com");

      CliRun list = CliRun.of(concat(new String[] {"device", "list"}, chain));
      assertThat(list.out())
          .contains("0x70997970C51812dc3A010C7d01b50e0d17dc79C8  active   sip:alice@example.com");

      Path data = dir.resolve("data");
      ChainConfig config =
          ChainConfig.defaults(data)
              .withRemote(URI.create(anvil.rpcUrl()), 31337, d.contracts())
              .withConfirmations(1)
              .withPollInterval(Duration.ofMillis(100));
      try (ChainConnection connection = Chains.connect(config);
          AnchorService anchors =
              Chains.anchorService(connection, config, Credentials.create(keys.get(1)))) {
        anchors.anchorNow(new AnchorCheckpoint(42, new RootHash(new byte[32])));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (anchors.confirmed().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        CliRun status = CliRun.of("anchor", "status", "--data-dir", data.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out())
            .contains("queued:          0")
            .contains("last confirmed:  size 42");
      }

      CliRun revoke =
          CliRun.of(
              concat(
                  new String[] {"device", "revoke", device},
                  chain,
                  "--key-file",
                  keyFile.toString()));
      assertThat(revoke.exitCode()).as(revoke.err()).isZero();
      assertThat(CliRun.of(concat(new String[] {"device", "list"}, chain)).out())
          .contains("revoked");

      CliRun again =
          CliRun.of(
              concat(
                  new String[] {"device", "revoke", device},
                  chain,
                  "--key-file",
                  keyFile.toString()));
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("is not an active registered device");
    }
  }

  private static String[] concat(String[] head, String[] middle, String... tail) {
    String[] all = new String[head.length + middle.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(middle, 0, all, head.length, middle.length);
    System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
    return all;
  }
}
