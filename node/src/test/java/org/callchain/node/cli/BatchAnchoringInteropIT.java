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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Anchor mode batch (ADR 0093) with real nodes on loopback and a real Anvil mining every second:
 * three devices' checkpoints land in one {@code anchorBatch} transaction sent by the aggregator
 * (the lowest address), each node adopts it as its confirmed anchor, {@code ledger verify --rpc}
 * confirms every device's anchors; with the aggregator stopped the next lowest takes over; with an
 * aggregator that cannot pay, a device anchors alone once its batch wait is over.
 */
class BatchAnchoringInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  record Device(String name, Path config, String address, String peerId, String sipUri) {}

  @Test
  void threeDevicesAreAnchoredInOneTransactionAndTheNextLowestTakesOver() throws Exception {
    try (LocalChain anvil = Chains.startAnvil(Duration.ofSeconds(1), 31337, Optional.empty())) {
      Deployment d = deploy(anvil);
      Device alice = init("alice", anvil, d, List.of());
      Device bob = init("bob", anvil, d, List.of("--bootstrap", listenAddress(alice)));
      Device carol =
          init(
              "carol",
              anvil,
              d,
              List.of("--bootstrap", listenAddress(alice), "--bootstrap", listenAddress(bob)));
      List<Device> all = List.of(alice, bob, carol);
      try (ChainConnection connection = connect(anvil, d)) {
        register(connection, anvil, all);
        List<Device> byAddress =
            all.stream().sorted(Comparator.comparing(x -> x.address().toLowerCase())).toList();
        Device leader = byAddress.get(0);

        List<CallchainNode> nodes = new ArrayList<>();
        try {
          for (Device dev : all) {
            nodes.add(CallchainNode.start(NodeConfigReader.read(dev.config())));
          }
          for (CallchainNode n : nodes) {
            await(
                "every node connected to both others",
                () ->
                    !metric(n, "callchain_peers").isEmpty()
                        && Double.parseDouble(metric(n, "callchain_peers")) >= 2);
          }
          call(alice, bob);
          call(bob, carol);

          await(
              "all three devices anchored",
              () -> all.stream().allMatch(x -> !anchors(connection, x).isEmpty()));
          Map<String, Set<String>> devicesByTx = devicesByTransaction(connection, all);
          String shared =
              devicesByTx.entrySet().stream()
                  .filter(e -> e.getValue().size() == 3)
                  .map(Map.Entry::getKey)
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new AssertionError("no transaction anchored all three: " + devicesByTx));
          assertThat(sender(anvil, shared)).isEqualToIgnoringCase(leader.address());
          for (int i = 0; i < all.size(); i++) {
            CallchainNode n = nodes.get(i);
            await(
                all.get(i).name() + "'s node confirmed the batch as its anchor",
                () -> status(n).contains("\"txHash\":\"" + shared + "\""));
          }

          int leaderIndex = all.indexOf(leader);
          assertThat(Double.parseDouble(metric(nodes.get(leaderIndex), "callchain_anchor_batches")))
              .isGreaterThanOrEqualTo(1);
          assertThat(
                  Double.parseDouble(
                      metric(nodes.get(leaderIndex), "callchain_anchor_batch_entries")))
              .isGreaterThanOrEqualTo(3);

          // The aggregator stops: the next lowest address aggregates the other two.
          nodes.get(leaderIndex).close();
          List<Device> rest = new ArrayList<>(all);
          rest.remove(leader);
          long before =
              anchors(connection, rest.get(0)).size() + anchors(connection, rest.get(1)).size();
          call(rest.get(0), rest.get(1));
          await(
              "both remaining devices anchored again",
              () ->
                  anchors(connection, rest.get(0)).size() + anchors(connection, rest.get(1)).size()
                      == before + 2);
          OnChainAnchor a0 = last(anchors(connection, rest.get(0)));
          OnChainAnchor a1 = last(anchors(connection, rest.get(1)));
          assertThat(a0.transactionHash()).isEqualTo(a1.transactionHash());
          assertThat(sender(anvil, a0.transactionHash()))
              .isEqualToIgnoringCase(byAddress.get(1).address());
        } finally {
          for (CallchainNode n : nodes) {
            n.close();
          }
        }
        for (Device dev : all) {
          CliRun verify =
              CliRun.of(
                  "ledger",
                  "verify",
                  "--data-dir",
                  dev.config().getParent().toString(),
                  "--rpc",
                  anvil.rpcUrl(),
                  "--chain-id",
                  "31337",
                  "--registry",
                  d.contracts().registry().toString(),
                  "--anchor",
                  d.contracts().anchor().toString());
          assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
          assertThat(verify.out()).as(dev.name()).containsIgnoringCase("anchor");
        }
      }
    }
  }

  @Test
  void aDeviceAnchorsAloneWhenTheAggregatorCannotPay() throws Exception {
    try (LocalChain anvil = Chains.startAnvil(Duration.ofSeconds(1), 31337, Optional.empty())) {
      Deployment d = deploy(anvil);
      Device first = init("dora", anvil, d, List.of());
      Device second = init("emil", anvil, d, List.of("--bootstrap", listenAddress(first)));
      List<Device> all = List.of(first, second);
      try (ChainConnection connection = connect(anvil, d)) {
        register(connection, anvil, all);
        List<Device> byAddress =
            all.stream().sorted(Comparator.comparing(x -> x.address().toLowerCase())).toList();
        Device leader = byAddress.get(0);
        Device other = byAddress.get(1);
        try (CallchainNode a = CallchainNode.start(NodeConfigReader.read(first.config()));
            CallchainNode b = CallchainNode.start(NodeConfigReader.read(second.config()))) {
          await(
              "the nodes connected",
              () ->
                  metric(a, "callchain_peers").equals("1.0")
                      && metric(b, "callchain_peers").equals("1.0"));
          setBalance(anvil.rpcUrl(), leader.address(), "0x0");
          long start = System.nanoTime();
          call(leader, other);
          await("the other device anchored", () -> !anchors(connection, other).isEmpty());
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          OnChainAnchor anchor = anchors(connection, other).get(0);
          assertThat(sender(anvil, anchor.transactionHash()))
              .as("sent by the device itself")
              .isEqualToIgnoringCase(other.address());
          // cadence 6 s + batch wait 5 s + a block, a call and a busy machine's slack
          assertThat(took).isLessThan(Duration.ofSeconds(40));
          assertThat(anchors(connection, leader)).isEmpty();
        }
      }
    }
  }

  private static Deployment deploy(LocalChain anvil) throws Exception {
    Credentials admin = Credentials.create(anvil.devPrivateKeys().get(0));
    return Chains.deploy(anvil.rpcUrl(), 31337, admin, List.of(), Duration.ofSeconds(10));
  }

  private ChainConnection connect(LocalChain anvil, Deployment d) throws Exception {
    return Chains.connect(
        ChainConfig.defaults(dir.resolve("admin"))
            .withRemote(URI.create(anvil.rpcUrl()), 31337, d.contracts()));
  }

  private static void register(ChainConnection connection, LocalChain anvil, List<Device> devices)
      throws Exception {
    RegistryAdmin registrar =
        Chains.registryAdmin(connection, Credentials.create(anvil.devPrivateKeys().get(0)));
    for (Device dev : devices) {
      registrar.register(DeviceAddress.parse(dev.address()), dev.sipUri());
      setBalance(anvil.rpcUrl(), dev.address(), "0x56bc75e2d63100000");
    }
  }

  private static void call(Device from, Device to) {
    CliRun call =
        CliRun.of(
            "call", to.sipUri(), "--node-config", from.config().toString(), "--duration", "500ms");
    assertThat(call.exitCode()).as(call.out() + call.err()).isZero();
  }

  private Device init(String name, LocalChain anvil, Deployment d, List<String> extra)
      throws Exception {
    Path home = dir.resolve(name);
    Path password = Files.writeString(dir.resolve(name + ".pw"), "correct horse\n");
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
                "--auto-answer",
                "--record-dir",
                home.resolve("recordings").toString(),
                // the time cadence decides (6 s); one confirmation; batch mode is the default
                "--anchor-every",
                "6s",
                "--anchor-every-records",
                "1000",
                "--confirmations",
                "1"));
    args.addAll(extra);
    CliRun init = CliRun.of(args.toArray(String[]::new));
    assertThat(init.exitCode()).as(init.err()).isZero();
    Path config = home.resolve("node.yaml");
    assertThat(Files.readString(config))
        .contains("anchor-mode: \"batch\"")
        .contains("anchor-every: \"6s\"");
    return new Device(
        name,
        config,
        group(init.out(), "device (0x[0-9a-f]{40})"),
        group(init.out(), "peer (\\S+)"),
        sipUri);
  }

  private static Map<String, Set<String>> devicesByTransaction(
      ChainConnection c, List<Device> devices) {
    return devices.stream()
        .flatMap(dev -> anchors(c, dev).stream())
        .collect(
            Collectors.groupingBy(
                OnChainAnchor::transactionHash,
                Collectors.mapping(a -> a.device().hex(), Collectors.toSet())));
  }

  private static String sender(LocalChain anvil, String txHash) throws Exception {
    Web3j web3 = Web3j.build(new HttpService(anvil.rpcUrl()));
    try {
      return web3.ethGetTransactionByHash(txHash).send().getTransaction().orElseThrow().getFrom();
    } finally {
      web3.shutdown();
    }
  }

  private static OnChainAnchor last(List<OnChainAnchor> list) {
    return list.get(list.size() - 1);
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

  /** Anvil's own {@code anvil_setBalance}: gas money for a device, or none. */
  private static void setBalance(String rpcUrl, String address, String wei) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\""
            + address
            + "\",\""
            + wei
            + "\"]}";
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

  private static String status(CallchainNode n) {
    return http(n, "/status");
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

  private static String metric(CallchainNode n, String name) {
    return http(n, "/metrics")
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElse("");
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
