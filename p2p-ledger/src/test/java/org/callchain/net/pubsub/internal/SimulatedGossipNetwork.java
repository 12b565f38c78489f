package org.callchain.net.pubsub.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.internal.memory.InMemoryPubsubNetwork;

/**
 * Routers on an {@link InMemoryPubsubNetwork} driven by one {@link DeterministicEventLoop}: the
 * fixture of the router tests. Each node keeps its identity across restarts.
 */
final class SimulatedGossipNetwork {
  static final Duration HEARTBEAT = Duration.ofMillis(100);

  final DeterministicEventLoop loop = new DeterministicEventLoop();
  final InMemoryPubsubNetwork network;
  final Random random;
  private final Map<PeerKey, Node> nodes = new HashMap<>();

  /** One router and what it received. */
  final class Node {
    final Ed25519TestIdentity identity;
    final GossipParams params;
    final PeerScoreParams scoreParams;
    GossipsubRouter router;
    final List<PubsubMessage> received = new CopyOnWriteArrayList<>();

    Node(Ed25519TestIdentity identity, GossipParams params, PeerScoreParams scoreParams) {
      this.identity = identity;
      this.params = params;
      this.scoreParams = scoreParams;
    }

    PeerKey key() {
      return identity.key();
    }

    void start() {
      router =
          new GossipsubRouter(
              params,
              scoreParams,
              PeerScoreThresholds.defaults(),
              network.transportFor(key()),
              identity,
              Ed25519TestIdentity.VERIFIER,
              loop,
              new Random(random.nextLong()),
              1 << 20);
      router.start();
      loop.runDue();
    }

    org.callchain.net.pubsub.Subscription subscribe(String topic) {
      org.callchain.net.pubsub.Subscription sub = router.subscribe(topic, received::add);
      loop.runDue();
      return sub;
    }

    /** Takes the node off the network and stops its router, as if the process died. */
    void kill() {
      router.close();
      network.remove(key());
      loop.runDue();
    }

    long receivedWithData(String text) {
      return received.stream().filter(m -> new String(m.data()).equals(text)).count();
    }
  }

  SimulatedGossipNetwork(long seed, Duration latency) {
    this.random = new Random(seed);
    this.network = new InMemoryPubsubNetwork(loop, latency);
  }

  static GossipParams fastParams() {
    return GossipParams.builder()
        .heartbeatInterval(HEARTBEAT)
        .heartbeatInitialDelay(HEARTBEAT)
        .build();
  }

  Node addNode() {
    return addNode(fastParams(), PeerScoreParams.defaults());
  }

  Node addNode(GossipParams params, PeerScoreParams scoreParams) {
    Node n = new Node(new Ed25519TestIdentity(), params, scoreParams);
    nodes.put(n.key(), n);
    n.start();
    return n;
  }

  List<Node> addNodes(int count) {
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(addNode());
    }
    return out;
  }

  void connect(Node dialer, Node listener) {
    network.connect(dialer.key(), listener.key());
    loop.runDue();
  }

  void run(Duration d) {
    loop.advance(d);
  }

  /** Runs the loop until the stage completes (it only ever needs tasks due now). */
  <T> T await(CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    loop.runDue();
    if (!f.isDone()) {
      loop.advance(Duration.ofSeconds(1));
    }
    return f.join();
  }
}
