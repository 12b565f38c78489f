package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.identity.DeviceKeystore;
import org.callchain.node.config.NodeConfig;
import org.callchain.node.config.NodeConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code callchain init}, and {@code callchain node} refusing a bad config before it starts. */
class InitCommandTest {
  @TempDir Path dir;

  @Test
  void initSetsTheAnchorCadenceAndModeAndRefusesAnUnknownMode() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
    Path home = dir.resolve("bob");
    CliRun init =
        CliRun.of(
            "init",
            "--dir",
            home.toString(),
            "--sip-uri",
            "sip:bob@127.0.0.1:5072",
            "--password-file",
            pw.toString(),
            "--anchor-every",
            "5s",
            "--anchor-every-records",
            "16",
            "--confirmations",
            "3",
            "--anchor-mode",
            "single");
    assertThat(init.exitCode()).as(init.err()).isZero();
    NodeConfig.Chain c = NodeConfigReader.read(home.resolve("node.yaml")).chain();
    assertThat(c.anchorEvery().toMillis()).isEqualTo(5000);
    assertThat(c.anchorEveryRecords()).isEqualTo(16);
    assertThat(c.confirmations()).isEqualTo(3);
    assertThat(c.anchorMode()).isEqualTo(NodeConfig.AnchorMode.SINGLE);
    assertThat(c.anchorBatchWait()).isEqualTo(NodeConfig.Chain.defaults().anchorBatchWait());

    CliRun bad =
        CliRun.of(
            "init",
            "--dir",
            dir.resolve("carol").toString(),
            "--sip-uri",
            "sip:carol@127.0.0.1:5073",
            "--password-file",
            pw.toString(),
            "--anchor-mode",
            "sometimes");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("--anchor-mode must be batch or single, not 'sometimes'");
    assertThat(dir.resolve("carol").resolve("node.yaml")).doesNotExist();
  }

  @Test
  void initMakesAKeystoreAndAConfigTheNodeReadsAndNeverOverwritesThem() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
    Path home = dir.resolve("alice");
    CliRun init =
        CliRun.of(
            "init",
            "--dir",
            home.toString(),
            "--sip-uri",
            "sip:alice@127.0.0.1:5071",
            "--password-file",
            pw.toString(),
            "--p2p-port",
            "4101",
            "--control-port",
            "9501",
            "--auto-answer=250ms",
            "--commit-batch",
            "20",
            "--commit-max-delay",
            "150ms");
    assertThat(init.exitCode()).as(init.err()).isZero();
    String address = DeviceKeystore.peekAddress(home.resolve("keystore.json")).toHex();
    assertThat(init.out())
        .contains("device " + address)
        .contains("sip sip:alice@127.0.0.1:5071")
        .containsPattern("peer 16Uiu2[1-9A-HJ-NP-Za-km-z]+")
        .contains("config " + home.resolve("node.yaml").toAbsolutePath());

    NodeConfig c = NodeConfigReader.read(home.resolve("node.yaml"));
    assertThat(c.sip().bind()).isEqualTo("127.0.0.1");
    assertThat(c.sip().port()).isEqualTo(5071);
    assertThat(c.sip().answer()).isEqualTo(NodeConfig.Answer.AUTO);
    assertThat(c.sip().autoAnswerDelay().toMillis()).isEqualTo(250);
    assertThat(c.ledger().commitBatch()).isEqualTo(20);
    assertThat(c.ledger().commitMaxDelay().toMillis()).isEqualTo(150);
    assertThat(c.p2p().port()).isEqualTo(4101);
    assertThat(c.control().port()).isEqualTo(9501);
    assertThat(c.device().passwordFile()).contains(pw.toAbsolutePath());
    assertThat(c.resolve(c.device().keystore())).isEqualTo(home.resolve("keystore.json"));

    String before = Files.readString(home.resolve("node.yaml"));
    CliRun again =
        CliRun.of(
            "init",
            "--dir",
            home.toString(),
            "--sip-uri",
            "sip:mallory@127.0.0.1",
            "--password-file",
            pw.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists; not overwriting a device");
    assertThat(Files.readString(home.resolve("node.yaml"))).isEqualTo(before);

    Files.writeString(home.resolve("node.yaml"), before.replace("port: 5071", "port: 99999"));
    CliRun node = CliRun.of("node", "--config", home.resolve("node.yaml").toString());
    assertThat(node.exitCode()).isEqualTo(2);
    assertThat(node.err().strip())
        .isEqualTo(
            "callchain: " + home.resolve("node.yaml") + ": sip.port: must be 0..65535, not 99999");
  }

  @Test
  void initRefusesAnRpcWithoutContractsNamingTheKeyAndWritesNothing() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
    CliRun init =
        CliRun.of(
            "init",
            "--dir",
            dir.resolve("bob").toString(),
            "--sip-uri",
            "sip:bob@127.0.0.1:5072",
            "--password-file",
            pw.toString(),
            "--rpc",
            "http://127.0.0.1:8545");
    assertThat(init.exitCode()).isEqualTo(2);
    assertThat(init.err()).contains("chain.registry: is required with chain.rpc-url");
    assertThat(dir.resolve("bob")).doesNotExist();
  }

  @Test
  void statusWithoutARunningNodeSaysSo() throws Exception {
    Path config = dir.resolve("node.yaml");
    Files.writeString(config, "sip: {uri: 'sip:a@127.0.0.1'}\ncontrol: {port: 1}\n");
    CliRun status = CliRun.of("status", "--config", config.toString());
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.err()).contains("no node is running at http://127.0.0.1:1");
  }
}
