package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.junit.jupiter.api.Test;

/**
 * Mesh maintenance in the heartbeat (gossipsub-v1.0.md "Heartbeat", gossipsub-v1.1.md "Mesh
 * Maintenance"): every mesh stays within [D_low, D_high] as peers come and go, and meshes are
 * symmetric once GRAFT/PRUNE have settled.
 */
class MeshMaintenanceTest {
  private static final String TOPIC = "records";

  @Test
  void meshSizesStayWithinBoundsAfterChurn() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(11, Duration.ofMillis(2));
    List<SimulatedGossipNetwork.Node> nodes = new ArrayList<>(net.addNodes(40));
    nodes.forEach(n -> n.subscribe(TOPIC));
    connectDensely(net, nodes, 20);
    net.run(Duration.ofSeconds(3));
    assertMeshesWithinBounds(net, nodes);

    // churn: a quarter of the nodes die, new ones join and dial a handful of survivors
    Collections.shuffle(nodes, net.random);
    for (SimulatedGossipNetwork.Node dead : List.copyOf(nodes.subList(0, 10))) {
      dead.kill();
      nodes.remove(dead);
    }
    List<SimulatedGossipNetwork.Node> joiners = net.addNodes(10);
    for (SimulatedGossipNetwork.Node j : joiners) {
      j.subscribe(TOPIC);
      for (int k = 0; k < 8; k++) {
        net.connect(j, nodes.get(net.random.nextInt(nodes.size())));
      }
    }
    nodes.addAll(joiners);
    net.run(Duration.ofSeconds(3));
    assertMeshesWithinBounds(net, nodes);
  }

  @Test
  void oversubscribedMeshIsPrunedToDKeepingOutboundPeers() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(12, Duration.ZERO);
    GossipParams params = SimulatedGossipNetwork.fastParams();
    SimulatedGossipNetwork.Node hub = net.addNode(params, PeerScoreParams.defaults());
    hub.subscribe(TOPIC);
    List<SimulatedGossipNetwork.Node> spokes = net.addNodes(20);
    for (int i = 0; i < spokes.size(); i++) {
      SimulatedGossipNetwork.Node s = spokes.get(i);
      s.subscribe(TOPIC);
      if (i < 3) {
        net.connect(hub, s); // outbound from the hub
      } else {
        net.connect(s, hub);
      }
    }
    net.run(Duration.ofSeconds(2));
    Set<PeerKey> mesh = net.await(hub.router.meshPeers(TOPIC));
    assertThat(mesh.size()).isBetween(params.dLow(), params.dHigh());
    long outbound = spokes.subList(0, 3).stream().filter(s -> mesh.contains(s.key())).count();
    assertThat(outbound).as("D_out outbound peers kept").isGreaterThanOrEqualTo(params.dOut());
  }

  private static void connectDensely(
      SimulatedGossipNetwork net, List<SimulatedGossipNetwork.Node> nodes, int dialsEach) {
    for (SimulatedGossipNetwork.Node n : nodes) {
      for (int k = 0; k < dialsEach; k++) {
        SimulatedGossipNetwork.Node other = nodes.get(net.random.nextInt(nodes.size()));
        if (other != n) {
          net.connect(n, other);
        }
      }
    }
  }

  private static void assertMeshesWithinBounds(
      SimulatedGossipNetwork net, List<SimulatedGossipNetwork.Node> nodes) {
    GossipParams p = SimulatedGossipNetwork.fastParams();
    for (SimulatedGossipNetwork.Node n : nodes) {
      Set<PeerKey> mesh = net.await(n.router.meshPeers(TOPIC));
      int topicPeers = net.await(n.router.topicPeers(TOPIC)).size();
      assertThat(mesh.size())
          .as("mesh of %s with %d topic peers", n.key(), topicPeers)
          .isBetween(Math.min(p.dLow(), topicPeers), p.dHigh());
      for (PeerKey m : mesh) {
        SimulatedGossipNetwork.Node peer =
            nodes.stream().filter(x -> x.key().equals(m)).findFirst().orElseThrow();
        assertThat(net.await(peer.router.meshPeers(TOPIC)))
            .as("mesh link %s -> %s is symmetric", n.key(), m)
            .contains(n.key());
      }
    }
  }
}
