package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PublishResult;
import org.junit.jupiter.api.Test;

/**
 * Publishing without joining (gossipsub-v1.0.md "Fanout"), flood publishing (gossipsub-v1.1.md
 * "Flood Publishing") and peer exchange on PRUNE, off by default ("PRUNE Backoff and Peer
 * Exchange").
 */
class FanoutAndExchangeTest {
  private static final String TOPIC = "records";

  @Test
  void publishingToAnUnjoinedTopicUsesFanoutOfDPeersThatExpiresAfterItsTtl() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(31, Duration.ZERO);
    GossipParams params =
        SimulatedGossipNetwork.fastParams().toBuilder()
            .floodPublish(false)
            .fanoutTtl(Duration.ofSeconds(2))
            .build();
    SimulatedGossipNetwork.Node publisher = net.addNode(params, PeerScoreParams.defaults());
    List<SimulatedGossipNetwork.Node> subscribers = net.addNodes(10);
    for (SimulatedGossipNetwork.Node s : subscribers) {
      s.subscribe(TOPIC);
      net.connect(publisher, s);
    }
    for (int i = 0; i < subscribers.size(); i++) {
      net.connect(subscribers.get(i), subscribers.get((i + 1) % subscribers.size()));
    }
    net.run(Duration.ofSeconds(1));

    PublishResult result = net.await(publisher.router.publish(TOPIC, "via-fanout".getBytes()));
    assertThat(result.peersReached()).isEqualTo(params.d());
    net.run(Duration.ofMillis(500));
    assertThat(subscribers).allMatch(s -> s.receivedWithData("via-fanout") == 1);
    assertThat(net.await(publisher.router.meshPeers(TOPIC))).isEmpty();

    PublishResult again = net.await(publisher.router.publish(TOPIC, "again".getBytes()));
    assertThat(again.peersReached()).as("same fanout reused").isEqualTo(params.d());
    net.run(Duration.ofSeconds(3));
    net.run(Duration.ofSeconds(1));
    PublishResult later = net.await(publisher.router.publish(TOPIC, "later".getBytes()));
    assertThat(later.peersReached()).as("fanout rebuilt after TTL").isEqualTo(params.d());
  }

  @Test
  void floodPublishSendsOwnMessagesToEveryTopicPeer() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(32, Duration.ZERO);
    SimulatedGossipNetwork.Node publisher = net.addNode();
    publisher.subscribe(TOPIC);
    List<SimulatedGossipNetwork.Node> subscribers = net.addNodes(15);
    for (SimulatedGossipNetwork.Node s : subscribers) {
      s.subscribe(TOPIC);
      net.connect(s, publisher);
    }
    net.run(Duration.ofSeconds(1));
    PublishResult result = net.await(publisher.router.publish(TOPIC, "flood".getBytes()));
    assertThat(result.peersReached()).isEqualTo(15);
    assertThat(net.await(publisher.router.meshPeers(TOPIC)).size()).isLessThanOrEqualTo(12);
  }

  @Test
  void prunesCarryNoPeersUnlessPeerExchangeIsEnabled() {
    for (boolean exchange : new boolean[] {false, true}) {
      SimulatedGossipNetwork net = new SimulatedGossipNetwork(33, Duration.ZERO);
      GossipParams params =
          SimulatedGossipNetwork.fastParams().toBuilder().peerExchange(exchange, 16).build();
      SimulatedGossipNetwork.Node node = net.addNode(params, PeerScoreParams.defaults());
      org.callchain.net.pubsub.Subscription sub = node.subscribe(TOPIC);
      RawPeer a = new RawPeer(net.network);
      RawPeer b = new RawPeer(net.network);
      for (RawPeer p : List.of(a, b)) {
        net.network.connect(p.key(), node.key());
        p.subscribe(node.key(), TOPIC);
      }
      net.run(Duration.ofMillis(150));
      sub.close();
      net.run(Duration.ofMillis(10));
      List<PeerKey> offered =
          a.prunesReceived().stream()
              .flatMap(pr -> pr.getPeersList().stream())
              .map(pi -> PeerKey.of(pi.getPeerID().toByteArray()))
              .toList();
      if (exchange) {
        assertThat(offered).containsExactly(b.key());
      } else {
        assertThat(offered).isEmpty();
      }
    }
  }
}
