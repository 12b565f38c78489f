package org.callchain.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PublishResult;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.internal.libp2p.Libp2pGossipsub;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code callchain p2p ...}: libp2p diagnostics an operator runs against a peer: {@code ping}
 * prints round-trip times, {@code listen} joins a gossipsub topic and prints every message, {@code
 * publish} dials a peer, waits until the topic has a mesh peer, publishes one message and says how
 * many peers it went to. The node's identity is the device keystore ({@code --keystore}, its
 * secp256k1 key is the libp2p key), or a raw secp256k1 key in hex ({@code --key-hex-file}), else a
 * throwaway key.
 */
@Command(
    name = "p2p",
    mixinStandardHelpOptions = true,
    description = "libp2p diagnostics: ping a peer, listen on and publish to gossipsub topics.",
    subcommands = {P2pCommand.Listen.class, P2pCommand.Publish.class})
public final class P2pCommand implements Runnable {
  static final String DEFAULT_TOPIC = "callchain";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "Ethereum V3 keystore of the device key (default: a throwaway key).",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  Path keystore;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "File holding the keystore password (default: env CALLCHAIN_KEYSTORE_PASSWORD).",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  Path passwordFile;

  @Option(
      names = "--key-hex-file",
      paramLabel = "FILE",
      description = "File with a raw secp256k1 private key in hex (default: a throwaway key).",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  Path keyHexFile;

  @Command(
      name = "ping",
      mixinStandardHelpOptions = true,
      description = "Dial a peer (Noise + yamux) and print libp2p ping round-trip times.")
  int ping(
      @Parameters(
              paramLabel = "MULTIADDR",
              description = "e.g. /ip4/127.0.0.1/tcp/4001/p2p/16Uiu2HA...")
          String target,
      @Option(names = "--count", defaultValue = "4", description = "Pings to send (default 4).")
          int count,
      @Option(
              names = "--interval-ms",
              defaultValue = "1000",
              description = "Pause between pings in milliseconds (default 1000).")
          long intervalMillis,
      @Option(
              names = "--timeout-ms",
              defaultValue = "10000",
              description = "Timeout of the dial and of each ping in milliseconds (default 10000).")
          long timeoutMillis)
      throws InterruptedException {
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

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The identity: keystore, else hex key file, else a throwaway secp256k1 key. */
  NodeKey nodeKey() {
    if (keystore != null) {
      return fromKeystore(keystore, passwordFile);
    }
    if (keyHexFile == null) {
      return NodeKey.generateSecp256k1();
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

  /** The secp256k1 key of an Ethereum V3 keystore (scrypt), the device's identity. */
  static NodeKey fromKeystore(Path keystore, Path passwordFile) {
    String password;
    try {
      password =
          passwordFile != null
              ? Files.readString(passwordFile).strip()
              : System.getenv("CALLCHAIN_KEYSTORE_PASSWORD");
    } catch (IOException e) {
      throw new CliException("cannot read password file " + passwordFile + ": " + e.getMessage());
    }
    if (password == null) {
      throw new CliException(
          "keystore needs a password: --password-file or CALLCHAIN_KEYSTORE_PASSWORD",
          OneLineErrors.USAGE);
    }
    try {
      Credentials credentials = WalletUtils.loadCredentials(password, keystore.toFile());
      byte[] secret = toFixed32(credentials.getEcKeyPair().getPrivateKey().toByteArray());
      return NodeKey.fromSecp256k1(secret);
    } catch (IOException | CipherException e) {
      throw new CliException("cannot open keystore " + keystore + ": " + e.getMessage());
    } catch (InvalidKeyException e) {
      throw new CliException("keystore " + keystore + " holds no valid secp256k1 key");
    }
  }

  private static byte[] toFixed32(byte[] bigEndian) {
    byte[] out = new byte[32];
    int copy = Math.min(32, bigEndian.length);
    System.arraycopy(bigEndian, bigEndian.length - copy, out, 32 - copy, copy);
    return out;
  }

  static Host startHost(NodeKey key, String ip, int port) {
    Multiaddr listen;
    try {
      listen = Multiaddr.parse("/ip4/" + ip + "/tcp/" + port);
    } catch (InvalidMultiaddrException e) {
      throw new CliException("invalid listen address: " + e.getMessage(), 2);
    }
    Host host = new Libp2pHost(HostConfig.builder(key).listenAddresses(List.of(listen)).build());
    try {
      host.start().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      host.close();
      throw new CliException("cannot listen on " + listen + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      host.close();
      throw new CliException("interrupted");
    }
    return host;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Payloads print as text when they are printable UTF-8, else as hex. */
  static String render(byte[] data) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(data))
              .toString();
      if (text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t')) {
        return text;
      }
    } catch (CharacterCodingException e) {
      // not text: fall through to hex
    }
    return "hex:" + HexFormat.of().formatHex(data);
  }

  @Command(
      name = "listen",
      mixinStandardHelpOptions = true,
      description = "Listen for libp2p peers, join a topic and print every message received.")
  static final class Listen implements Runnable {
    @Spec CommandSpec spec;

    @picocli.CommandLine.ParentCommand P2pCommand parent;

    @Option(names = "--port", description = "TCP port (default: a free one).")
    int port;

    @Option(names = "--ip", description = "IPv4 address to listen on (default: ${DEFAULT-VALUE}).")
    String ip = "127.0.0.1";

    @Option(names = "--topic", description = "Topic to join (default: ${DEFAULT-VALUE}).")
    String topic = DEFAULT_TOPIC;

    @Option(
        names = "--count",
        paramLabel = "N",
        description = "Exit after N messages (default: run until interrupted).")
    int count;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      NodeKey key = parent.nodeKey();
      Host host = startHost(key, ip, port);
      Libp2pGossipsub gossip = Libp2pGossipsub.start(host, key);
      CountDownLatch done = new CountDownLatch(count > 0 ? count : 1);
      try {
        gossip.subscribe(
            topic,
            (PubsubMessage m) -> {
              synchronized (out) {
                out.println(
                    "message topic=" + m.topic() + " from=" + m.from() + " " + render(m.data()));
                out.flush();
              }
              if (count > 0) {
                done.countDown();
              }
            });
        synchronized (out) {
          for (Multiaddr a : host.listenAddresses()) {
            out.println("listening " + a.withPeerId(host.peerId()));
          }
          out.println("topic " + topic);
          out.flush();
        }
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        gossip.close();
        host.close();
      }
    }
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Dial a peer, wait until the topic has peers, publish one message and report how many"
              + " peers it was sent to.")
  static final class Publish implements Runnable {
    @Spec CommandSpec spec;

    @picocli.CommandLine.ParentCommand P2pCommand parent;

    @Option(
        names = "--peer",
        required = true,
        paramLabel = "MULTIADDR",
        description = "Peer to dial, /ip4/../tcp/../p2p/<id>; repeatable.")
    List<String> peers;

    @Option(names = "--topic", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic = DEFAULT_TOPIC;

    @Option(
        names = "--wait",
        paramLabel = "SECONDS",
        description = "How long to wait for topic peers (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 10;

    @Parameters(paramLabel = "MESSAGE", description = "The message, sent as UTF-8.")
    String message;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      List<Multiaddr> targets = peers.stream().map(Publish::parse).toList();
      NodeKey key = parent.nodeKey();
      Host host = startHost(key, "127.0.0.1", 0);
      Libp2pGossipsub gossip = Libp2pGossipsub.start(host, key);
      try {
        for (Multiaddr target : targets) {
          try {
            host.dial(target).get(waitSeconds, TimeUnit.SECONDS);
          } catch (ExecutionException | TimeoutException e) {
            throw new CliException("cannot dial " + target + ": " + rootMessage(e));
          }
        }
        gossip.subscribe(topic, m -> {});
        Set<PeerKey> meshed = awaitMesh(gossip);
        PublishResult result =
            gossip
                .publish(topic, message.getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture()
                .get(waitSeconds, TimeUnit.SECONDS);
        // give the frames a moment on the wire before the connection closes
        Thread.sleep(500);
        out.println(
            "published to "
                + result.peersReached()
                + (result.peersReached() == 1 ? " peer" : " peers")
                + " ("
                + meshed.size()
                + " in mesh) on topic "
                + topic);
        out.flush();
      } catch (ExecutionException | TimeoutException e) {
        throw new CliException("publish failed: " + rootMessage(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted");
      } finally {
        gossip.close();
        host.close();
      }
    }

    private Set<PeerKey> awaitMesh(Libp2pGossipsub gossip)
        throws InterruptedException, ExecutionException, TimeoutException {
      long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
      while (true) {
        Set<PeerKey> mesh = gossip.meshPeers(topic).toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (!mesh.isEmpty()) {
          return mesh;
        }
        if (System.nanoTime() > deadline) {
          throw new CliException("no peer joined topic " + topic + " within " + waitSeconds + " s");
        }
        Thread.sleep(100);
      }
    }

    private static Multiaddr parse(String text) {
      try {
        Multiaddr a = Multiaddr.parse(text);
        if (a.peerId().isEmpty()) {
          throw new CliException("--peer needs /p2p/<peer-id>: " + text, 2);
        }
        return a;
      } catch (InvalidMultiaddrException e) {
        throw new CliException("invalid --peer " + text + ": " + e.getMessage(), 2);
      }
    }
  }
}
