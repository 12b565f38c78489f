package org.callchain.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeConfigTest {
  @TempDir Path dir;

  private NodeConfig parse(String yaml) throws NodeConfigException {
    return NodeConfigReader.parse(yaml, dir);
  }

  @Test
  void onlyTheSipUriIsRequiredAndEveryOtherKeyHasItsDocumentedDefault() throws Exception {
    NodeConfig c = parse("sip:\n  uri: sip:alice@127.0.0.1:5071\n");

    assertThat(c).isEqualTo(NodeConfig.defaults(dir, "sip:alice@127.0.0.1:5071"));
    assertThat(c.sip().port()).isEqualTo(5060);
    assertThat(c.sip().answer()).isEqualTo(NodeConfig.Answer.RING);
    assertThat(c.ledger().commitBatch()).isEqualTo(1);
    assertThat(c.ledger().commitMaxDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.chain().rpcUrl()).isEmpty();
    assertThat(c.chain().chainId()).isEqualTo(31337);
    assertThat(c.chain().unreachableRegistry())
        .isEqualTo(NodeConfig.UnreachableRegistry.LAST_SNAPSHOT);
    assertThat(c.p2p().port()).isEqualTo(4001);
    assertThat(c.control()).isEqualTo(new NodeConfig.Control("127.0.0.1", 9464));
    assertThat(c.resolve(c.ledger().dir())).isEqualTo(dir.resolve("ledger"));
  }

  @Test
  void whatInitWritesReadsBackAsTheSameConfig() throws Exception {
    NodeConfig d = NodeConfig.defaults(dir, "sip:bob@127.0.0.1:5072");
    NodeConfig custom =
        new NodeConfig(
            dir,
            new NodeConfig.Device(
                Path.of("keys/k.json"), Optional.of(Path.of("/run/pw \"x\"")), "HQ floor 3"),
            new NodeConfig.Sip(
                "sip:bob@127.0.0.1:5072",
                "127.0.0.1",
                5072,
                "udp",
                NodeConfig.Answer.AUTO,
                Duration.ofMillis(250),
                603,
                Duration.ofSeconds(20),
                "PCMA",
                30000,
                30100,
                "tone:440",
                true,
                Path.of("/var/rec")),
            new NodeConfig.Ledger(Path.of("db"), 50, Duration.ofMillis(150)),
            new NodeConfig.Chain(
                Optional.of(URI.create("http://127.0.0.1:8545")),
                1337,
                Optional.of("0x" + "a".repeat(40)),
                Optional.of("0x" + "b".repeat(40)),
                Path.of("chain"),
                1,
                2,
                Duration.ofSeconds(3),
                Duration.ofMillis(100),
                Duration.ZERO,
                NodeConfig.UnreachableRegistry.REJECT,
                NodeConfig.AnchorMode.SINGLE,
                Duration.ofSeconds(7)),
            new NodeConfig.P2p(
                "127.0.0.1",
                4101,
                List.of(
                    "/ip4/127.0.0.1/tcp/4102/p2p/16Uiu2HAkxGGHtGLhzwt19rrnetG5UGkXV4v1RJy8HKuecyA92P5x"),
                "acme",
                List.of("0x" + "c".repeat(40))),
            new NodeConfig.Control("127.0.0.1", 9501));

    for (NodeConfig c : List.of(d, custom)) {
      Path file = dir.resolve(c == d ? "a.yaml" : "b.yaml");
      NodeConfigWriter.writeNew(c, file);
      assertThat(NodeConfigReader.read(file)).isEqualTo(c);
    }
  }

  @Test
  void theWrittenFileShowsEveryKeyWithAComment() throws Exception {
    String text = NodeConfigWriter.text(NodeConfig.defaults(dir, "sip:a@127.0.0.1"));
    List<String> keys =
        text.lines().filter(l -> l.matches("  [a-z-]+: .*")).map(String::strip).toList();
    assertThat(keys).hasSize(39);
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("  [a-z-]+: .*")) {
        assertThat(lines.get(i - 1)).as("comment above " + lines.get(i)).startsWith("  # ");
      }
    }
  }

  @Test
  void initNeverOverwritesAConfig() throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, "mine");
    assertThatThrownBy(
            () -> NodeConfigWriter.writeNew(NodeConfig.defaults(dir, "sip:a@127.0.0.1"), file))
        .hasMessageContaining("already exists");
    assertThat(Files.readString(file)).isEqualTo("mine");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "sip.prot|sip: {uri: 'sip:a@127.0.0.1', prot: 5060}|unknown key",
        "colour|colour: red\\nsip: {uri: 'sip:a@127.0.0.1'}|unknown key",
        "sip.uri|device: {site: x}|is required",
        "sip.uri|sip: {uri: 'alice'}|must be sip:USER@HOST",
        "sip.port|sip: {uri: 'sip:a@127.0.0.1', port: 70000}|must be 0..65535, not 70000",
        "sip.port|sip: {uri: 'sip:a@127.0.0.1', port: five}|must be a whole number",
        "sip.transport|sip: {uri: 'sip:a@127.0.0.1', transport: sctp}|must be udp, tcp or both",
        "sip.answer|sip: {uri: 'sip:a@127.0.0.1', answer: maybe}|must be one of auto, reject, ring",
        "sip.recording|sip: {uri: 'sip:a@127.0.0.1', recording: yes please}|must be true or false",
        "sip.rtp-ports|sip: {uri: 'sip:a@127.0.0.1', rtp-ports: 20000}|must be MIN-MAX",
        "sip.bind|sip: {uri: 'sip:a@127.0.0.1', bind: example.com}|must be an IP address",
        "ledger.commit-batch|sip: {uri: 'sip:a@127.0.0.1'}\\nledger: {commit-batch: 0}|must be 1..",
        "ledger.commit-max-delay|sip: {uri: 'sip:a@127.0.0.1'}\\nledger: {commit-max-delay: soon}|is"
            + " not a duration",
        "chain.registry|sip: {uri: 'sip:a@127.0.0.1'}\\nchain: {rpc-url: 'http://127.0.0.1:8545'}|is"
            + " required with chain.rpc-url",
        "chain.rpc-url|sip: {uri: 'sip:a@127.0.0.1'}\\nchain: {rpc-url: 'ftp://x'}|must be an http(s)"
            + " URL",
        "chain.anchor|sip: {uri: 'sip:a@127.0.0.1'}\\nchain: {anchor: '0x12'}|20-byte hex address",
        "chain.unreachable-registry|sip: {uri: 'sip:a@127.0.0.1'}\\n"
            + "chain: {unreachable-registry: accept}|must be one of last-snapshot, reject",
        "p2p.bootstrap|sip: {uri: 'sip:a@127.0.0.1'}\\np2p: {bootstrap: ['/ip4/1.2.3.4/tcp/1']}|needs"
            + " the peer id",
        "p2p.bootstrap|sip: {uri: 'sip:a@127.0.0.1'}\\np2p: {bootstrap: 'x'}|must be a list",
        "control.host|sip: {uri: 'sip:a@127.0.0.1'}\\ncontrol: {host: 0.0.0.0}|must be a loopback",
        "sip|sip: 5|must be a mapping",
      })
  void aBadValueIsRefusedWithItsKeyNamed(String key, String yaml, String problem) {
    assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
        .isInstanceOfSatisfying(NodeConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
        .hasMessageStartingWith(key + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void brokenYamlIsOneLine() {
    assertThatThrownBy(() -> parse("sip: [unclosed"))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageStartingWith("not valid YAML");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> NodeConfigReader.read(dir.resolve("nope.yaml")))
        .hasMessageContaining("no config file at");
  }
}
