package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Twenty routers in one process on the in-memory network with 2 ms links and virtual time: every
 * message reaches every node, and after a third of the nodes die and come back (same identities) no
 * later message is lost.
 */
class GossipNetworkSimulationIT {
  private static final String TOPIC = "records";

  @Test
  void everyMessageReachesEveryNodeThroughChurn() {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(42, Duration.ofMillis(2));
    List<SimulatedGossipNetwork.Node> nodes = net.addNodes(20);
    nodes.forEach(n -> n.subscribe(TOPIC));
    for (int i = 0; i < nodes.size(); i++) {
      net.connect(nodes.get(i), nodes.get((i + 1) % nodes.size()));
      for (int k = 0; k < 3; k++) {
        net.connect(nodes.get(i), nodes.get(net.random.nextInt(nodes.size())));
      }
    }
    net.run(Duration.ofSeconds(2));

    List<String> round1 = publishRound(net, nodes, "before", 30);
    assertEveryoneGotAll(nodes, round1);

    List<SimulatedGossipNetwork.Node> killed = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i += 3) {
      killed.add(nodes.get(i));
    }
    assertThat(killed).hasSize(7);
    killed.forEach(SimulatedGossipNetwork.Node::kill);
    List<SimulatedGossipNetwork.Node> alive = new ArrayList<>(nodes);
    alive.removeAll(killed);
    net.run(Duration.ofSeconds(1));

    List<String> round2 = publishRound(net, alive, "during", 30);
    assertEveryoneGotAll(alive, round2);

    for (SimulatedGossipNetwork.Node n : killed) {
      n.received.clear();
      n.start();
      n.subscribe(TOPIC);
      for (int k = 0; k < 3; k++) {
        net.connect(n, alive.get(net.random.nextInt(alive.size())));
      }
    }
    net.run(Duration.ofSeconds(2));

    List<String> round3 = publishRound(net, nodes, "after", 30);
    assertEveryoneGotAll(nodes, round3);
  }

  private static List<String> publishRound(
      SimulatedGossipNetwork net, List<SimulatedGossipNetwork.Node> from, String tag, int count) {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SimulatedGossipNetwork.Node author = from.get(net.random.nextInt(from.size()));
      String text = tag + "-" + i + "-" + author.key().toBase58();
      net.await(author.router.publish(TOPIC, text.getBytes()));
      sent.add(text);
      net.run(Duration.ofMillis(20));
    }
    net.run(Duration.ofSeconds(1));
    return sent;
  }

  private static void assertEveryoneGotAll(
      List<SimulatedGossipNetwork.Node> nodes, List<String> messages) {
    for (SimulatedGossipNetwork.Node n : nodes) {
      for (String text : messages) {
        boolean own = text.endsWith(n.key().toBase58());
        assertThat(n.receivedWithData(text)).as("%s at %s", text, n.key()).isEqualTo(own ? 0 : 1);
      }
    }
  }
}
