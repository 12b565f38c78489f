package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * Bad input on the pubsub stream (issue #6, "Bad input"): random frames and bit-flipped valid RPCs
 * never break a router; it keeps delivering an honest peer's messages afterwards.
 */
class RpcGarbageProperties {
  private static final String TOPIC = "records";

  @Property(tries = 60)
  void garbageAndMutatedFramesLeaveTheRouterWorking(
      @ForAll @Size(max = 8) List<@Size(max = 300) byte[]> garbage,
      @ForAll @Size(max = 8) List<Integer> flips) {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(garbage.size(), Duration.ZERO);
    SimulatedGossipNetwork.Node node = net.addNode();
    node.subscribe(TOPIC);
    RawPeer attacker = new RawPeer(net.network);
    RawPeer honest = new RawPeer(net.network);
    for (RawPeer p : List.of(attacker, honest)) {
      net.network.connect(p.key(), node.key());
      p.subscribe(node.key(), TOPIC);
    }
    net.run(Duration.ofMillis(150));

    for (byte[] frame : garbage) {
      attacker.sendRaw(node.key(), frame);
    }
    byte[] valid =
        RpcProto.RPC
            .newBuilder()
            .addPublish(attacker.signedMessage(TOPIC, "payload"))
            .setControl(
                RpcProto.ControlMessage.newBuilder()
                    .addGraft(RpcProto.ControlGraft.newBuilder().setTopicID(TOPIC))
                    .addIhave(RpcProto.ControlIHave.newBuilder().setTopicID(TOPIC)))
            .build()
            .toByteArray();
    for (int flip : flips) {
      byte[] mutated = valid.clone();
      int bit = Math.floorMod(flip, mutated.length * 8);
      mutated[bit / 8] ^= (byte) (1 << (bit % 8));
      attacker.sendRaw(node.key(), mutated);
    }
    net.run(Duration.ofMillis(50));

    honest.publish(node.key(), honest.signedMessage(TOPIC, "honest"));
    net.run(Duration.ofMillis(50));
    assertThat(node.receivedWithData("honest")).isEqualTo(1);
    PubsubStats stats = net.await(node.router.stats());
    assertThat(stats.messagesDelivered()).isGreaterThanOrEqualTo(1);
  }
}
