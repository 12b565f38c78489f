package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.LocalChain;
import org.callchain.chain.OnChainAnchor;
import org.callchain.chain.RegistryAdmin;
import org.callchain.node.CallchainNode;
import org.callchain.node.config.NodeConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Two nodes on loopback, made by {@code callchain init}, sharing one real Anvil on which both
 * devices are registered: a call placed through the caller's control API ({@code callchain call
 * --node-config}) is recorded by both ends, each record is replicated to the other node over
 * libp2p, the caller's log is anchored on chain, and {@code /metrics} and {@code callchain status}
 * show it.
 */
class NodeInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  record Device(String name, Path config, String address, String peerId, String sipUri) {}

  @Test
  void aCallIsRecordedByBothEndsReplicatedAnchoredAndShown() throws Exception {
    try (LocalChain anvil = Chains.startAnvil(Duration.ofSeconds(1), 31337, Optional.empty())) {
      Credentials admin = Credentials.create(anvil.devPrivateKeys().get(0));
      Deployment d = Chains.deploy(anvil.rpcUrl(), 31337, admin, List.of(), Duration.ofSeconds(10));
      Path password = Files.writeString(dir.resolve("pw"), "correct horse\n");

      Device alice = init("alice", anvil, d, password, List.of());
      Device bob =
          init(
              "bob",
              anvil,
              d,
              password,
              List.of(
                  "--bootstrap",
                  listenAddress(alice),
                  "--auto-answer=100ms",
                  "--record-dir",
                  dir.resolve("bob-recordings").toString()));
      Device mallory = init("mallory", anvil, d, password, List.of()); // never registered

      ChainConfig chainConfig =
          ChainConfig.defaults(dir.resolve("admin"))
              .withRemote(URI.create(anvil.rpcUrl()), 31337, d.contracts());
      try (ChainConnection connection = Chains.connect(chainConfig)) {
        RegistryAdmin registrar = Chains.registryAdmin(connection, admin);
        for (Device dev : List.of(alice, bob)) {
          registrar.register(DeviceAddress.parse(dev.address()), dev.sipUri());
          fund(anvil.rpcUrl(), dev.address());
        }

        try (CallchainNode a = CallchainNode.start(NodeConfigReader.read(alice.config()));
            CallchainNode b = CallchainNode.start(NodeConfigReader.read(bob.config()))) {
          assertThat(a.readyLine())
              .startsWith("node ready: device " + alice.address())
              .contains(" sip " + alice.sipUri())
              .contains("/p2p/" + alice.peerId())
              .endsWith(" control " + a.controlUrl());
          await("the two nodes connected", () -> metric(a, "callchain_peers").equals("1.0"));

          CliRun call =
              CliRun.of(
                  "call",
                  bob.sipUri(),
                  "--node-config",
                  alice.config().toString(),
                  "--duration",
                  "1s");
          assertThat(call.exitCode()).as(call.err()).isZero();
          assertThat(call.out()).contains("outcome ANSWERED 200 OK").contains(" leaf 0");

          await("both records committed", () -> logSize(a) == 1 && logSize(b) == 1);
          try (var wavs = Files.list(dir.resolve("bob-recordings"))) {
            assertThat(wavs.map(Path::toString)).anyMatch(f -> f.endsWith(".wav"));
          }
          await(
              "each record replicated to the other node",
              () -> status(a).contains("\"size\":1,") && replicaOf(a, bob) && replicaOf(b, alice));
          await(
              "the caller's record anchored on Anvil",
              () ->
                  anchors(connection, alice).stream()
                      .anyMatch(x -> x.checkpoint().treeSize() == 1));
          await(
              "the anchor confirmed in the node", () -> !status(a).contains("\"lastAnchor\":null"));

          String metricsA = metricsText(a);
          assertThat(metricsA)
              .contains("callchain_calls_total{direction=\"outgoing\",outcome=\"answered\"} 1.0")
              .contains("callchain_call_setup_seconds_count 1")
              .contains("callchain_log_size 1.0")
              .contains("callchain_records_total 1.0")
              .contains("callchain_anchor_lag_records 0.0")
              .contains("callchain_audit_alerts_total{kind=\"rejected_commit\"} 0.0");
          assertThat(metricsText(b))
              .contains("callchain_calls_total{direction=\"incoming\",outcome=\"answered\"} 1.0")
              .contains("callchain_admission_verdicts_total{code=\"\",outcome=\"accepted\"} 1.0")
              .contains("callchain_replicas 1.0");
          assertThat(
                  Double.parseDouble(metric(b, "callchain_gossip_delay_seconds_count"))
                      + Double.parseDouble(metric(b, "callchain_sync_leaves_total")))
              .as("alice's commit arrived at bob by gossip (a delay observed) or by sync")
              .isGreaterThanOrEqualTo(1);
          assertThat(metricsText(b))
              .contains("callchain_gossip_rejected_total{reason=\"bad_signature\"} 0.0");
          assertEveryDashboardMetricIsExported(metricsA);

          CliRun status = CliRun.of("status", "--config", alice.config().toString());
          assertThat(status.exitCode()).as(status.err()).isZero();
          assertThat(status.out())
              .contains("device        " + alice.address())
              .contains("registration  active as " + alice.sipUri())
              .contains("peers         1")
              .contains(bob.address())
              .contains("log           size 1 root ")
              .contains("last anchor   size 1 block ")
              .contains("replicas      1");
          CliRun json = CliRun.of("status", "--config", bob.config().toString(), "--json");
          assertThat(json.out()).contains("\"device\" : \"" + bob.address() + "\"");

          // Admission: an unsigned INVITE and one signed by an unregistered device are refused.
          CliRun unsigned = CliRun.of("call", bob.sipUri(), "--duration", "1s");
          assertThat(unsigned.exitCode()).as(unsigned.out()).isEqualTo(3);
          assertThat(unsigned.err()).contains("428 Use Identity Header");
          try (CallchainNode m = CallchainNode.start(NodeConfigReader.read(mallory.config()))) {
            CliRun impostor =
                CliRun.of("call", bob.sipUri(), "--node-config", mallory.config().toString());
            assertThat(impostor.exitCode()).as(impostor.out()).isEqualTo(3);
            assertThat(impostor.out()).contains("outcome REJECTED 403 unregistered device");
            assertThat(m.readyLine()).contains(mallory.address());
          }
          assertThat(metricsText(b))
              .contains(
                  "callchain_admission_verdicts_total{code=\"428\",outcome=\"rejected_no_identity\"}"
                      + " 1.0")
              .contains(
                  "callchain_admission_verdicts_total{code=\"403\","
                      + "outcome=\"rejected_unregistered\"} 1.0");
          await("bob recorded the refused calls too", () -> logSize(b) == 3);
        }
        assertThat(CliRun.of("status", "--config", alice.config().toString()).err())
            .contains("no node is running at http://127.0.0.1:");
      }
    }
  }

  /** packaging/grafana/callchain.json draws only metrics a node really exports. */
  private static void assertEveryDashboardMetricIsExported(String metrics) throws Exception {
    Path dashboard =
        Path.of(System.getenv().getOrDefault("CALLCHAIN_ROOT", ".."))
            .resolve("packaging/grafana/callchain.json");
    Matcher m = Pattern.compile("callchain_[a-z_]+").matcher(Files.readString(dashboard));
    int names = 0;
    while (m.find()) {
      String name = m.group().replaceAll("_(bucket|count|sum)$", "");
      assertThat(metrics).as("dashboard metric " + name).contains("# TYPE " + name + " ");
      names++;
    }
    assertThat(names).isGreaterThan(10);
  }

  private Device init(
      String name, LocalChain anvil, Deployment d, Path password, List<String> extra)
      throws Exception {
    Path home = dir.resolve(name);
    String sipUri = "sip:" + name + "@127.0.0.1:" + freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "init",
                "--dir",
                home.toString(),
                "--sip-uri",
                sipUri,
                "--password-file",
                password.toString(),
                "--p2p-port",
                "" + freePort(),
                "--control-port",
                "" + freePort(),
                "--rpc",
                anvil.rpcUrl(),
                "--chain-id",
                "31337",
                "--registry",
                d.contracts().registry().toString(),
                "--anchor",
                d.contracts().anchor().toString(),
                "--play",
                "tone:440"));
    args.addAll(extra);
    CliRun init = CliRun.of(args.toArray(String[]::new));
    assertThat(init.exitCode()).as(init.err()).isZero();
    Path config = home.resolve("node.yaml");
    // A short cadence: anchor every record with one confirmation (Anvil mines every second).
    String yaml =
        Files.readString(config)
            .replace("anchor-every-records: 64", "anchor-every-records: 1")
            .replace("confirmations: 2", "confirmations: 1")
            .replace("poll-interval: \"500ms\"", "poll-interval: \"200ms\"");
    Files.writeString(config, yaml);
    assertThat(init.out()).contains("config " + config.toAbsolutePath());
    return new Device(
        name,
        config,
        group(init.out(), "device (0x[0-9a-f]{40})"),
        group(init.out(), "peer (\\S+)"),
        sipUri);
  }

  private static String listenAddress(Device d) throws Exception {
    String yaml = Files.readString(d.config());
    String port = group(yaml, "(?s)p2p:.*?port: (\\d+)");
    return "/ip4/127.0.0.1/tcp/" + port + "/p2p/" + d.peerId();
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex + " in " + text).isTrue();
    return m.group(1);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Gives the device ether for anchor gas with Anvil's own {@code anvil_setBalance}. */
  private static void fund(String rpcUrl, String address) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\""
            + address
            + "\",\"0x56bc75e2d63100000\"]}";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(rpcUrl))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).doesNotContain("error");
  }

  private static List<OnChainAnchor> anchors(ChainConnection c, Device d) {
    try {
      return Chains.anchorHistory(c, DeviceAddress.parse(d.address()), 0);
    } catch (Exception e) {
      return List.of();
    }
  }

  private static String http(CallchainNode n, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(n.controlUrl() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String status(CallchainNode n) {
    return http(n, "/status");
  }

  private static String metricsText(CallchainNode n) {
    return http(n, "/metrics");
  }

  private static String metric(CallchainNode n, String name) {
    return metricsText(n)
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElse("");
  }

  private static long logSize(CallchainNode n) {
    return (long) Double.parseDouble(metric(n, "callchain_log_size"));
  }

  private static boolean replicaOf(CallchainNode n, Device other) {
    String s = status(n);
    int i = s.indexOf("\"replicas\"");
    return i >= 0 && s.substring(i).contains("\"device\":\"" + other.address() + "\",\"size\":1");
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
