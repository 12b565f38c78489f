package org.callchain.net.pubsub.internal.libp2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.LengthPrefixed;
import org.callchain.net.NodeKey;
import org.callchain.net.Stream;
import org.callchain.net.Varint;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PubsubMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gossipsub between our own hosts over real TCP, Noise and yamux on loopback: messages relayed
 * across a chain of nodes arrive byte-identical, with secp256k1 and Ed25519 identities mixed; a
 * peer that sends an oversized frame loses its stream while the mesh keeps working.
 */
class GossipsubOverTcpIT {
  private static final String TOPIC = "callchain-test";
  private final List<Host> hosts = new ArrayList<>();
  private final List<Libp2pGossipsub> routers = new ArrayList<>();
  private final List<List<PubsubMessage>> inboxes = new ArrayList<>();

  @AfterEach
  void stop() {
    routers.forEach(Libp2pGossipsub::close);
    hosts.forEach(Host::close);
  }

  private Libp2pGossipsub node(NodeKey key) throws Exception {
    Host host = new Libp2pHost(HostConfig.builder(key).build());
    hosts.add(host);
    host.start().get(5, TimeUnit.SECONDS);
    Libp2pGossipsub gossip =
        Libp2pGossipsub.start(
            host,
            key,
            GossipParams.builder()
                .heartbeatInterval(Duration.ofMillis(200))
                .maxMessageSize(Libp2pGossipsub.MAX_PAYLOAD)
                .build(),
            PeerScoreParams.defaults(),
            PeerScoreThresholds.defaults());
    routers.add(gossip);
    List<PubsubMessage> inbox = new CopyOnWriteArrayList<>();
    inboxes.add(inbox);
    gossip.subscribe(TOPIC, inbox::add);
    return gossip;
  }

  private void dial(int from, int to) throws Exception {
    hosts
        .get(from)
        .dial(hosts.get(to).listenAddresses().get(0).withPeerId(hosts.get(to).peerId()))
        .get(10, TimeUnit.SECONDS);
  }

  static void await(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private boolean meshed(int node, int peer) {
    try {
      PeerKey key = PeerKey.of(hosts.get(peer).peerId().toBytes());
      return routers.get(node).meshPeers(TOPIC).toCompletableFuture().get().contains(key);
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void messagesCrossAChainOfNodesByteIdentical() throws Exception {
    node(NodeKey.generateSecp256k1());
    node(NodeKey.generateEd25519());
    node(NodeKey.generateSecp256k1());
    node(NodeKey.generateEd25519());
    dial(0, 1);
    dial(2, 1);
    dial(2, 3);
    await(
        "meshes along the chain",
        () ->
            meshed(0, 1)
                && meshed(1, 0)
                && meshed(1, 2)
                && meshed(2, 1)
                && meshed(2, 3)
                && meshed(3, 2),
        Duration.ofSeconds(10));

    Random random = new Random(5);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < routers.size(); i++) {
      byte[] payload = new byte[4096];
      random.nextBytes(payload);
      sent.add(payload);
      routers.get(i).publish(TOPIC, payload).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    await(
        "every node has the other three messages",
        () -> inboxes.stream().allMatch(inbox -> inbox.size() >= 3),
        Duration.ofSeconds(10));
    for (int i = 0; i < routers.size(); i++) {
      PeerKey self = routers.get(i).self();
      List<PubsubMessage> inbox = inboxes.get(i);
      assertThat(inbox).hasSize(3);
      for (int j = 0; j < routers.size(); j++) {
        if (j == i) {
          continue;
        }
        PeerKey author = routers.get(j).self();
        PubsubMessage m =
            inbox.stream().filter(x -> x.from().equals(author)).findFirst().orElseThrow();
        assertThat(m.data()).isEqualTo(sent.get(j));
        assertThat(m.from()).isNotEqualTo(self);
      }
    }
  }

  @Test
  void oversizedFrameResetsOnlyTheOffendersStream() throws Exception {
    node(NodeKey.generateSecp256k1());
    node(NodeKey.generateSecp256k1());
    dial(0, 1);
    await("mesh", () -> meshed(0, 1) && meshed(1, 0), Duration.ofSeconds(10));

    NodeKey rogueKey = NodeKey.generateEd25519();
    Host rogue = new Libp2pHost(HostConfig.builder(rogueKey).build());
    hosts.add(rogue);
    rogue.start().get(5, TimeUnit.SECONDS);
    rogue
        .dial(hosts.get(0).listenAddresses().get(0).withPeerId(hosts.get(0).peerId()))
        .get(10, TimeUnit.SECONDS);
    Stream stream =
        rogue
            .newStream(hosts.get(0).peerId(), Libp2pPubsubTransport.PROTOCOLS)
            .get(10, TimeUnit.SECONDS);
    byte[] prefix = Varint.encode(Libp2pGossipsub.MAX_RPC_BYTES + 1);
    byte[] oversized = java.util.Arrays.copyOf(prefix, prefix.length + 1024);
    // The receiver resets the stream as soon as it reads the length prefix, which may be before
    // our write completes: the write's own outcome does not matter, the reset does.
    stream.write(oversized).handle((ok, resetFirst) -> null).get(5, TimeUnit.SECONDS);
    stream.closeFuture().get(10, TimeUnit.SECONDS);

    byte[] payload = LengthPrefixed.frame("still flowing".getBytes());
    routers.get(1).publish(TOPIC, payload).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await("delivery after the reset", () -> !inboxes.get(0).isEmpty(), Duration.ofSeconds(10));
    assertThat(inboxes.get(0).get(0).data()).isEqualTo(payload);
  }

  @Test
  void closingGossipsubLeavesTheHostUpAndThePeerSeesItGo() throws Exception {
    node(NodeKey.generateSecp256k1());
    node(NodeKey.generateEd25519());
    dial(0, 1);
    await("mesh", () -> meshed(0, 1) && meshed(1, 0), Duration.ofSeconds(10));

    routers.get(1).close();
    PeerKey gone = PeerKey.of(hosts.get(1).peerId().toBytes());
    await(
        "node 0 forgets node 1 as a topic peer",
        () -> {
          try {
            return !routers.get(0).topicPeers(TOPIC).toCompletableFuture().get().contains(gone);
          } catch (Exception e) {
            return false;
          }
        },
        Duration.ofSeconds(10));
    assertThat(hosts.get(0).isConnected(hosts.get(1).peerId())).isTrue();
    assertThat(hosts.get(1).ping(hosts.get(0).peerId()).get(5, TimeUnit.SECONDS)).isPositive();
  }
}
