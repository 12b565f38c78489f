package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerScoreParams;
import org.junit.jupiter.api.Test;

/**
 * Lazy push (gossipsub-v1.0.md "Gossip"): a peer outside the mesh that missed a message learns its
 * id from IHAVE in a later heartbeat and fetches it with IWANT.
 */
class GossipRecoveryTest {
  private static final String TOPIC = "records";

  @Test
  void ihaveAndIwantRecoverAMessageAPeerMissed() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(21, Duration.ofMillis(1));
    // A mesh of exactly one peer, so that a second peer can only be reached by gossip.
    GossipParams narrow =
        SimulatedGossipNetwork.fastParams().toBuilder()
            .d(1, 1, 1)
            .dOut(0)
            .dScore(0)
            .floodPublish(false)
            .build();
    SimulatedGossipNetwork.Node source = net.addNode(narrow, PeerScoreParams.defaults());
    SimulatedGossipNetwork.Node meshPeer = net.addNode();
    source.subscribe(TOPIC);
    meshPeer.subscribe(TOPIC);
    net.connect(source, meshPeer);
    net.run(Duration.ofMillis(300));

    net.await(source.router.publish(TOPIC, "missed".getBytes()));
    net.run(Duration.ofMillis(20));
    assertThat(meshPeer.receivedWithData("missed")).isEqualTo(1);

    SimulatedGossipNetwork.Node late = net.addNode();
    late.subscribe(TOPIC);
    net.connect(late, source);
    net.run(Duration.ofMillis(20));
    assertThat(net.await(source.router.meshPeers(TOPIC)))
        .as("mesh already full: the late peer's GRAFT is refused")
        .doesNotContain(late.key());
    assertThat(late.receivedWithData("missed")).isZero();

    net.run(Duration.ofMillis(250));
    assertThat(late.receivedWithData("missed")).as("fetched by IWANT after IHAVE").isEqualTo(1);
    assertThat(net.await(late.router.stats()).messagesDelivered()).isEqualTo(1);
  }
}
