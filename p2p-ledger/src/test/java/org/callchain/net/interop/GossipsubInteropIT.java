package org.callchain.net.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.Multiaddr;
import org.callchain.net.NodeKey;
import org.callchain.net.PeerId;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.internal.libp2p.Libp2pGossipsub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our gossipsub against js-libp2p's {@code @libp2p/gossipsub} (StrictSign, {@code /meshsub/1.1.0}):
 * a message published on either side arrives byte-identical on the other, signed by its author; and
 * in a chain of 3 Java and 2 JS nodes, where messages must be relayed by both implementations,
 * every node receives every message.
 */
class GossipsubInteropIT {
  private static final String TOPIC = "callchain-interop";
  private final List<JsLibp2pPeer> jsPeers = new ArrayList<>();
  private final List<Host> hosts = new ArrayList<>();
  private final List<Libp2pGossipsub> routers = new ArrayList<>();
  private final List<List<PubsubMessage>> inboxes = new ArrayList<>();

  @AfterEach
  void stop() {
    try {
      routers.forEach(Libp2pGossipsub::close);
      hosts.forEach(Host::close);
    } finally {
      jsPeers.forEach(JsLibp2pPeer::close);
    }
  }

  private JsLibp2pPeer js(String keyType) throws Exception {
    JsLibp2pPeer peer = JsLibp2pPeer.start(keyType);
    jsPeers.add(peer);
    peer.subscribe(TOPIC);
    return peer;
  }

  private int java(NodeKey key) throws Exception {
    Host host = new Libp2pHost(HostConfig.builder(key).build());
    hosts.add(host);
    host.start().get(5, TimeUnit.SECONDS);
    Libp2pGossipsub gossip =
        Libp2pGossipsub.start(
            host,
            key,
            GossipParams.builder()
                .heartbeatInterval(Duration.ofMillis(500))
                .maxMessageSize(Libp2pGossipsub.MAX_PAYLOAD)
                .build(),
            PeerScoreParams.defaults(),
            PeerScoreThresholds.defaults());
    routers.add(gossip);
    List<PubsubMessage> inbox = new CopyOnWriteArrayList<>();
    inboxes.add(inbox);
    gossip.subscribe(TOPIC, inbox::add);
    return routers.size() - 1;
  }

  private Multiaddr addressOf(int java) {
    Host h = hosts.get(java);
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }

  private boolean javaMeshHas(int java, PeerId peer) {
    try {
      return routers
          .get(java)
          .meshPeers(TOPIC)
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS)
          .contains(PeerKey.of(peer.toBytes()));
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean jsMeshHas(JsLibp2pPeer js, PeerId peer) {
    try {
      JsonNode mesh = js.peers(TOPIC).path("meshPeers");
      for (JsonNode p : mesh) {
        if (p.asText().equals(peer.toBase58())) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private static void await(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static byte[] jsMessageFrom(JsLibp2pPeer js, PeerId author) throws InterruptedException {
    JsonNode event =
        js.awaitEvent(
            e ->
                "message".equals(e.path("event").asText())
                    && TOPIC.equals(e.path("topic").asText())
                    && author.toBase58().equals(e.path("from").asText()),
            Duration.ofSeconds(15));
    return Base64.getDecoder().decode(event.path("data").asText());
  }

  @Test
  void messagesCrossBothWaysByteIdentical() throws Exception {
    JsLibp2pPeer js = js("Ed25519");
    int java = java(NodeKey.generateSecp256k1());
    PeerId javaId = hosts.get(java).peerId();
    hosts.get(java).dial(js.address()).get(10, TimeUnit.SECONDS);
    await(
        "a mesh on both sides",
        () -> javaMeshHas(java, js.peerId()) && jsMeshHas(js, javaId),
        Duration.ofSeconds(15));

    byte[] fromJava = new byte[4096];
    new Random(1).nextBytes(fromJava);
    int reached =
        routers
            .get(java)
            .publish(TOPIC, fromJava)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS)
            .peersReached();
    assertThat(reached).isEqualTo(1);
    assertThat(jsMessageFrom(js, javaId)).isEqualTo(fromJava);

    byte[] fromJs = new byte[4096];
    new Random(2).nextBytes(fromJs);
    assertThat(js.publish(TOPIC, fromJs)).containsExactly(javaId.toBase58());
    await("the JS message in Java", () -> !inboxes.get(java).isEmpty(), Duration.ofSeconds(15));
    PubsubMessage received = inboxes.get(java).get(0);
    assertThat(received.data()).isEqualTo(fromJs);
    assertThat(received.from()).isEqualTo(PeerKey.of(js.peerId().toBytes()));
  }

  @Test
  void jsDialsJavaWithSecp256k1AndMessagesFlow() throws Exception {
    JsLibp2pPeer js = js("secp256k1");
    int java = java(NodeKey.generateEd25519());
    PeerId javaId = hosts.get(java).peerId();
    js.dial(addressOf(java));
    await(
        "a mesh on both sides",
        () -> javaMeshHas(java, js.peerId()) && jsMeshHas(js, javaId),
        Duration.ofSeconds(15));
    byte[] fromJs = "signed with secp256k1 in JS".getBytes();
    js.publish(TOPIC, fromJs);
    await("the JS message in Java", () -> !inboxes.get(java).isEmpty(), Duration.ofSeconds(15));
    assertThat(inboxes.get(java).get(0).data()).isEqualTo(fromJs);
    byte[] fromJava = "signed with Ed25519 in Java".getBytes();
    routers.get(java).publish(TOPIC, fromJava).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(jsMessageFrom(js, javaId)).isEqualTo(fromJava);
  }

  @Test
  void threeJavaAndTwoJsNodesInAChainEachReceiveEveryMessage() throws Exception {
    // J0 - S0 - J1 - S1 - J2: every message is relayed by both implementations.
    int j0 = java(NodeKey.generateSecp256k1());
    int j1 = java(NodeKey.generateSecp256k1());
    int j2 = java(NodeKey.generateEd25519());
    JsLibp2pPeer s0 = js("Ed25519");
    JsLibp2pPeer s1 = js("secp256k1");
    hosts.get(j0).dial(s0.address()).get(10, TimeUnit.SECONDS);
    s0.dial(addressOf(j1));
    hosts.get(j1).dial(s1.address()).get(10, TimeUnit.SECONDS);
    s1.dial(addressOf(j2));
    PeerId[] javaIds = {hosts.get(j0).peerId(), hosts.get(j1).peerId(), hosts.get(j2).peerId()};
    await(
        "meshes along the chain",
        () ->
            javaMeshHas(j0, s0.peerId())
                && jsMeshHas(s0, javaIds[0])
                && jsMeshHas(s0, javaIds[1])
                && javaMeshHas(j1, s0.peerId())
                && javaMeshHas(j1, s1.peerId())
                && jsMeshHas(s1, javaIds[1])
                && jsMeshHas(s1, javaIds[2])
                && javaMeshHas(j2, s1.peerId()),
        Duration.ofSeconds(20));

    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String text = "from java " + i;
      texts.add(text);
      routers.get(i).publish(TOPIC, text.getBytes()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    s0.publish(TOPIC, "from js 0".getBytes());
    s1.publish(TOPIC, "from js 1".getBytes());
    texts.add("from js 0");
    texts.add("from js 1");

    await(
        "every Java node has the four messages of the others",
        () -> inboxes.stream().allMatch(inbox -> inbox.size() >= 4),
        Duration.ofSeconds(20));
    for (int i = 0; i < 3; i++) {
      List<String> got = inboxes.get(i).stream().map(m -> new String(m.data())).toList();
      List<String> expected = new ArrayList<>(texts);
      expected.remove("from java " + i);
      assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }
    for (JsLibp2pPeer s : List.of(s0, s1)) {
      for (int i = 0; i < 3; i++) {
        assertThat(new String(jsMessageFrom(s, javaIds[i]))).isEqualTo("from java " + i);
      }
    }
    JsLibp2pPeer other = s0;
    assertThat(new String(jsMessageFrom(s1, other.peerId()))).isEqualTo("from js 0");
    assertThat(new String(jsMessageFrom(s0, s1.peerId()))).isEqualTo("from js 1");
  }
}
