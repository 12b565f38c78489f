package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerScoreParams;
import org.junit.jupiter.api.Test;

/**
 * gossipsub-v1.1.md "Opportunistic Grafting": every opportunistic-graft tick, when the median score
 * of the mesh is below the threshold, peers scoring above the median are grafted even though the
 * mesh is not short of peers.
 */
class OpportunisticGraftTest {
  private static final String TOPIC = "records";

  @Test
  void betterPeerIsGraftedWhenTheMeshMedianIsLowButOnlyOnTheTick() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(41, Duration.ZERO);
    GossipParams params =
        SimulatedGossipNetwork.fastParams().toBuilder()
            .d(2, 2, 3)
            .dOut(0)
            .dScore(1)
            .opportunisticGraft(10, 2)
            .build();
    RawPeer a = new RawPeer(net.network);
    RawPeer b = new RawPeer(net.network);
    RawPeer good = new RawPeer(net.network);
    PeerScoreParams scores =
        PeerScoreParams.defaults().withAppSpecificScore(p -> p.equals(good.key()) ? 10 : 0, 1);
    SimulatedGossipNetwork.Node hub = net.addNode(params, scores);
    hub.subscribe(TOPIC);
    for (RawPeer p : new RawPeer[] {a, b}) {
      net.network.connect(p.key(), hub.key());
      p.subscribe(hub.key(), TOPIC);
    }
    net.run(Duration.ofMillis(150)); // first heartbeat grafts a and b
    assertThat(net.await(hub.router.meshPeers(TOPIC))).containsOnly(a.key(), b.key());

    net.network.connect(good.key(), hub.key());
    good.subscribe(hub.key(), TOPIC);
    net.run(Duration.ofMillis(500));
    assertThat(good.graftsReceived(TOPIC)).as("mesh at D_low: no ordinary graft").isZero();

    net.run(Duration.ofMillis(500)); // the 10th heartbeat
    assertThat(good.graftsReceived(TOPIC)).isEqualTo(1);
    assertThat(net.await(hub.router.meshPeers(TOPIC))).contains(good.key());
  }
}
