package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.NodeKey;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code callchain p2p ping} against an in-process host on loopback. */
class P2pPingCommandIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new CallchainCommand());
    cli.setExecutionExceptionHandler(new OneLineErrors());
    cli.setParameterExceptionHandler(new OneLineErrors());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void pingPrintsRoundTripTimes(@TempDir Path dir) throws Exception {
    try (Host target = new Libp2pHost(HostConfig.builder(NodeKey.generateEd25519()).build())) {
      target.start().get(5, TimeUnit.SECONDS);
      String address = target.listenAddresses().get(0).withPeerId(target.peerId()).toString();
      Path key = dir.resolve("device.hex");
      Files.writeString(
          key, "0x53DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB\n");
      int status =
          run(
              "p2p",
              "ping",
              address,
              "--count",
              "2",
              "--interval-ms",
              "10",
              "--key-hex-file",
              key.toString());
      assertThat(status).as(err.toString()).isZero();
      assertThat(out.toString())
          .contains("PING " + address)
          .contains("seq=1 rtt=")
          .contains("seq=2 rtt=")
          .contains("2 sent, 2 answered");
    }
  }

  @Test
  void pingUsesTheDeviceKeystoreAsItsIdentity(@TempDir Path dir) throws Exception {
    org.web3j.crypto.ECKeyPair device = org.web3j.crypto.Keys.createEcKeyPair();
    String file =
        org.web3j.crypto.WalletUtils.generateWalletFile("secret", device, dir.toFile(), false);
    Path password = dir.resolve("password");
    Files.writeString(password, "secret\n");
    byte[] raw = new byte[32];
    byte[] big = device.getPrivateKey().toByteArray();
    int copy = Math.min(32, big.length);
    System.arraycopy(big, big.length - copy, raw, 32 - copy, copy);
    String expectedPeer = NodeKey.fromSecp256k1(raw).peerId().toBase58();
    try (Host target = new Libp2pHost(HostConfig.builder(NodeKey.generateEd25519()).build())) {
      target.start().get(5, TimeUnit.SECONDS);
      String address = target.listenAddresses().get(0).withPeerId(target.peerId()).toString();
      int status =
          run(
              "p2p",
              "ping",
              address,
              "--count",
              "1",
              "--keystore",
              dir.resolve(file).toString(),
              "--password-file",
              password.toString());
      assertThat(status).as(err.toString()).isZero();
      assertThat(out.toString()).contains("from " + expectedPeer);
    }
  }

  @Test
  void keystoreAndHexKeyTogetherAreAUsageError(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("k.hex"), "01".repeat(32));
    int status =
        run(
            "p2p",
            "ping",
            "/ip4/127.0.0.1/tcp/1",
            "--key-hex-file",
            key.toString(),
            "--keystore",
            dir.resolve("none.json").toString());
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("either --keystore or --key-hex-file");
  }

  @Test
  void invalidMultiaddrIsAUsageError() {
    assertThat(run("p2p", "ping", "not-an-address")).isEqualTo(2);
    assertThat(err.toString()).contains("invalid multiaddr");
  }

  @Test
  void unreachablePeerFailsWithOneLine() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int status = run("p2p", "ping", "/ip4/127.0.0.1/tcp/" + port, "--timeout-ms", "2000");
    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).startsWith("callchain: dial").doesNotContain("\tat ");
  }
}
