package org.callchain.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * {@code callchain p2p}: operator diagnostics for the libp2p network. {@code listen} joins a
 * gossipsub topic and prints every message; {@code publish} dials a peer, waits until the topic has
 * peers, publishes one message and says how many peers it went to. The identity is the device
 * keystore when one is given (its secp256k1 key is the node's libp2p key), else a throwaway key.
 */
@Command(
    name = "p2p",
    mixinStandardHelpOptions = true,
    description = "libp2p diagnostics: listen on and publish to gossipsub topics.",
    subcommands = {P2pCommand.Listen.class, P2pCommand.Publish.class, P2pPingCommand.class})
public final class P2pCommand implements Runnable {
  static final String DEFAULT_TOPIC = "callchain";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the node's identity comes from. */
  static final class Identity {
    @Option(
        names = "--keystore",
        paramLabel = "FILE",
        description = "Ethereum V3 keystore of the device key (default: a throwaway key).")
    Path keystore;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "File holding the keystore password (default: env CALLCHAIN_KEYSTORE_PASSWORD).")
    Path passwordFile;

    NodeKey load() {
      if (keystore == null) {
        return NodeKey.generateSecp256k1();
      }
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
            "keystore needs a password: --password-file or CALLCHAIN_KEYSTORE_PASSWORD", 2);
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

    @picocli.CommandLine.Mixin Identity identity = new Identity();

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
      NodeKey key = identity.load();
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

    @picocli.CommandLine.Mixin Identity identity = new Identity();

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
      NodeKey key = identity.load();
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
