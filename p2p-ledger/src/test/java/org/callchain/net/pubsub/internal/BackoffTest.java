package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.callchain.net.pubsub.internal.proto.RpcProto;
import org.junit.jupiter.api.Test;

/**
 * PRUNE backoff, gossipsub-v1.1.md "PRUNE Backoff and Peer Exchange": after a PRUNE neither side
 * may GRAFT for the backoff period; a GRAFT during backoff is answered with PRUNE and penalised
 * (P7), twice when it comes within the graft flood threshold.
 */
class BackoffTest {
  private static final String TOPIC = "records";

  @Test
  void routerDoesNotRegraftDuringTheBackoffAPeerAskedFor() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(1, Duration.ZERO);
    SimulatedGossipNetwork.Node node = net.addNode();
    RawPeer peer = new RawPeer(net.network);
    node.subscribe(TOPIC);
    net.network.connect(peer.key(), node.key());
    peer.subscribe(node.key(), TOPIC);
    net.run(Duration.ofMillis(150));
    assertThat(peer.graftsReceived(TOPIC)).as("mesh below D_low grafts the peer").isEqualTo(1);
    assertThat(net.await(node.router.meshPeers(TOPIC))).containsExactly(peer.key());

    peer.control(
        node.key(),
        RpcProto.ControlMessage.newBuilder()
            .addPrune(RpcProto.ControlPrune.newBuilder().setTopicID(TOPIC).setBackoff(30))
            .build());
    net.run(Duration.ofMillis(50));
    assertThat(net.await(node.router.meshPeers(TOPIC))).isEmpty();

    net.run(Duration.ofSeconds(29));
    assertThat(peer.graftsReceived(TOPIC)).as("no GRAFT within the 30 s backoff").isEqualTo(1);

    net.run(Duration.ofSeconds(2));
    assertThat(peer.graftsReceived(TOPIC)).as("grafted again once it expired").isEqualTo(2);
    assertThat(net.await(node.router.meshPeers(TOPIC))).containsExactly(peer.key());
  }

  @Test
  void graftDuringBackoffIsPrunedAndPenalised() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(2, Duration.ZERO);
    SimulatedGossipNetwork.Node node = net.addNode();
    RawPeer peer = new RawPeer(net.network);
    node.subscribe(TOPIC);
    net.network.connect(peer.key(), node.key());
    peer.subscribe(node.key(), TOPIC);
    net.run(Duration.ofMillis(150));

    RpcProto.ControlMessage prune =
        RpcProto.ControlMessage.newBuilder()
            .addPrune(RpcProto.ControlPrune.newBuilder().setTopicID(TOPIC).setBackoff(60))
            .build();
    RpcProto.ControlMessage graft =
        RpcProto.ControlMessage.newBuilder()
            .addGraft(RpcProto.ControlGraft.newBuilder().setTopicID(TOPIC))
            .build();
    peer.control(node.key(), prune);
    net.run(Duration.ofMillis(10));
    peer.control(node.key(), graft);
    net.run(Duration.ofMillis(10));

    assertThat(net.await(node.router.meshPeers(TOPIC))).isEmpty();
    assertThat(peer.prunesReceived()).hasSize(1);
    assertThat(peer.prunesReceived().get(0).getBackoff()).isEqualTo(60);
    assertThat(net.await(node.router.behaviourPenalty(peer.key())))
        .as("backoff violation plus graft flood")
        .isEqualTo(2.0);
    assertThat(net.await(node.router.score(peer.key()))).isNegative();
  }

  @Test
  void leavingATopicAnnouncesItAndPrunesWithTheUnsubscribeBackoff() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(3, Duration.ZERO);
    SimulatedGossipNetwork.Node node = net.addNode();
    RawPeer peer = new RawPeer(net.network);
    org.callchain.net.pubsub.Subscription sub = node.subscribe(TOPIC);
    net.network.connect(peer.key(), node.key());
    peer.subscribe(node.key(), TOPIC);
    net.run(Duration.ofMillis(150));

    sub.close();
    net.run(Duration.ofMillis(10));

    assertThat(peer.prunesReceived()).hasSize(1);
    assertThat(peer.prunesReceived().get(0).getBackoff()).isEqualTo(10);
    assertThat(
            peer.received.stream()
                .flatMap(r -> r.getSubscriptionsList().stream())
                .filter(s -> s.getTopicid().equals(TOPIC) && !s.getSubscribe())
                .count())
        .isEqualTo(1);
  }
}
