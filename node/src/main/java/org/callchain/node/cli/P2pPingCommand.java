package org.callchain.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callchain.net.Connection;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.Multiaddr;
import org.callchain.net.NodeKey;
import org.callchain.net.internal.libp2p.Libp2pHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code callchain p2p ping}: dials a peer and prints libp2p ping round-trip times. The node's
 * identity is the device keystore ({@code --keystore}, as for listen and publish), or a raw 32-byte
 * secp256k1 private key in hex ({@code --key-hex-file}), else a throwaway secp256k1 key.
 */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    description = "Dial a peer (Noise + yamux) and print libp2p ping round-trip times.")
final class P2pPingCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin P2pCommand.Identity identity = new P2pCommand.Identity();

  @Option(
      names = "--key-hex-file",
      paramLabel = "FILE",
      description = "File with a raw secp256k1 private key in hex (default: a throwaway key).")
  Path keyHexFile;

  @Parameters(
      paramLabel = "MULTIADDR",
      description = "e.g. /ip4/127.0.0.1/tcp/4001/p2p/16Uiu2HA...")
  String target;

  @Option(names = "--count", defaultValue = "4", description = "Pings to send (default 4).")
  int count;

  @Option(
      names = "--interval-ms",
      defaultValue = "1000",
      description = "Pause between pings in milliseconds (default 1000).")
  long intervalMillis;

  @Option(
      names = "--timeout-ms",
      defaultValue = "10000",
      description = "Timeout of the dial and of each ping in milliseconds (default 10000).")
  long timeoutMillis;

  @Override
  public Integer call() throws InterruptedException {
    if (count < 1) {
      throw new CliException("--count must be at least 1", OneLineErrors.USAGE);
    }
    Multiaddr address;
    try {
      address = Multiaddr.parse(target);
    } catch (InvalidMultiaddrException e) {
      throw new CliException("invalid multiaddr: " + e.getMessage(), OneLineErrors.USAGE);
    }
    PrintWriter out = spec.commandLine().getOut();
    HostConfig config =
        HostConfig.builder(nodeKey())
            .listenAddresses(List.of())
            .upgradeTimeout(Duration.ofMillis(timeoutMillis))
            .build();
    try (Host host = new Libp2pHost(config)) {
      await(host.start(), timeoutMillis, "start");
      Connection connection = await(host.dial(address), timeoutMillis, "dial " + address);
      out.printf("PING %s (peer %s) from %s%n", address, connection.remotePeer(), host.peerId());
      out.flush();
      List<Double> rtts = new ArrayList<>();
      for (int seq = 1; seq <= count; seq++) {
        try {
          Duration rtt = await(host.ping(connection.remotePeer()), timeoutMillis, "ping");
          double millis = rtt.toNanos() / 1e6;
          rtts.add(millis);
          out.printf("seq=%d rtt=%.3f ms%n", seq, millis);
        } catch (CliException e) {
          out.printf("seq=%d %s%n", seq, e.getMessage());
        }
        out.flush();
        if (seq < count) {
          Thread.sleep(intervalMillis);
        }
      }
      out.printf(
          "%d sent, %d answered%s%n",
          count,
          rtts.size(),
          rtts.isEmpty()
              ? ""
              : String.format(
                  ", rtt min/avg/max = %.3f/%.3f/%.3f ms",
                  rtts.stream().mapToDouble(d -> d).min().orElse(0),
                  rtts.stream().mapToDouble(d -> d).average().orElse(0),
                  rtts.stream().mapToDouble(d -> d).max().orElse(0)));
      out.flush();
      if (rtts.isEmpty()) {
        throw new CliException("no ping was answered by " + address);
      }
      return 0;
    }
  }

  private NodeKey nodeKey() {
    if (keyHexFile == null) {
      return identity.load();
    }
    if (identity.keystore != null) {
      throw new CliException(
          "give either --keystore or --key-hex-file, not both", OneLineErrors.USAGE);
    }
    try {
      String hex = Files.readString(keyHexFile, StandardCharsets.US_ASCII).strip();
      if (hex.startsWith("0x") || hex.startsWith("0X")) {
        hex = hex.substring(2);
      }
      return NodeKey.fromSecp256k1(HexFormat.of().parseHex(hex));
    } catch (IOException e) {
      throw new CliException("cannot read key file " + keyHexFile + ": " + e.getMessage());
    } catch (IllegalArgumentException | InvalidKeyException e) {
      throw new CliException(
          "key file " + keyHexFile + " does not hold a 32-byte secp256k1 key in hex");
    }
  }

  private static <T> T await(
      java.util.concurrent.CompletableFuture<T> future, long timeoutMillis, String what)
      throws InterruptedException {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      if (cause.getCause() != null && cause.getCause().getMessage() != null) {
        detail += ": " + cause.getCause().getMessage();
      }
      throw new CliException(what + " failed: " + detail);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new CliException(what + " timed out after " + timeoutMillis + " ms");
    }
  }
}
