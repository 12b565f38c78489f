package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.ValidationResult;
import org.callchain.net.pubsub.internal.proto.RpcProto;
import org.junit.jupiter.api.Test;

/**
 * The message path of a router: seen-cache (pubsub spec "Message Identification"), StrictSign
 * ("Message Signing"), validation before forwarding (gossipsub-v1.1.md "Extended Validators"), and
 * graylisting of peers whose score fell below the threshold ("Score Thresholds").
 */
class MessageHandlingTest {
  private static final String TOPIC = "records";

  private record Setup(
      SimulatedGossipNetwork net, SimulatedGossipNetwork.Node node, List<RawPeer> peers) {}

  /** One router with raw peers that all joined its mesh. */
  private static Setup routerWithMeshOf(int peerCount) {
    SimulatedGossipNetwork net = new SimulatedGossipNetwork(7, Duration.ZERO);
    SimulatedGossipNetwork.Node node = net.addNode();
    node.subscribe(TOPIC);
    List<RawPeer> peers = new java.util.ArrayList<>();
    for (int i = 0; i < peerCount; i++) {
      RawPeer p = new RawPeer(net.network);
      net.network.connect(p.key(), node.key());
      p.subscribe(node.key(), TOPIC);
      peers.add(p);
    }
    net.run(Duration.ofMillis(150));
    assertThat(net.await(node.router.meshPeers(TOPIC))).hasSize(peerCount);
    return new Setup(net, node, peers);
  }

  @Test
  void duplicatesAreDeliveredOnceAndNotForwardedAgain() {
    Setup s = routerWithMeshOf(3);
    RawPeer first = s.peers.get(0);
    RpcProto.Message m = first.signedMessage(TOPIC, "call-1");

    first.publish(s.node.key(), m);
    s.net.run(Duration.ofMillis(10));
    s.peers.get(1).publish(s.node.key(), m);
    first.publish(s.node.key(), m);
    s.net.run(Duration.ofMillis(10));

    assertThat(s.node.receivedWithData("call-1")).isEqualTo(1);
    assertThat(first.messagesReceived()).as("never echoed to its sender").isEmpty();
    assertThat(s.peers.get(1).messagesReceived()).hasSize(1);
    assertThat(s.peers.get(2).messagesReceived()).hasSize(1);
    PubsubStats stats = s.net.await(s.node.router.stats());
    assertThat(stats.messagesDelivered()).isEqualTo(1);
    assertThat(stats.duplicatesReceived()).isEqualTo(2);
  }

  @Test
  void forwardedMessageIsByteIdenticalToTheOriginal() {
    Setup s = routerWithMeshOf(2);
    RpcProto.Message m = s.peers.get(0).signedMessage(TOPIC, "payload");
    s.peers.get(0).publish(s.node.key(), m);
    s.net.run(Duration.ofMillis(10));
    assertThat(s.peers.get(1).messagesReceived()).containsExactly(m);
    assertThat(s.peers.get(1).messagesReceived().get(0).toByteArray()).isEqualTo(m.toByteArray());
  }

  @Test
  void messageWithBadSignatureIsRejectedAndCostsTheSender() {
    Setup s = routerWithMeshOf(2);
    RawPeer sender = s.peers.get(0);
    RpcProto.Message genuine = sender.signedMessage(TOPIC, "original");
    RpcProto.Message forged =
        genuine.toBuilder().setData(ByteString.copyFromUtf8("forged")).build();

    sender.publish(s.node.key(), forged);
    s.net.run(Duration.ofMillis(10));
    assertThat(s.node.received).isEmpty();
    assertThat(s.peers.get(1).messagesReceived()).isEmpty();
    assertThat(s.net.await(s.node.router.score(sender.key()))).isNegative();

    s.peers.get(1).publish(s.node.key(), genuine);
    s.net.run(Duration.ofMillis(10));
    assertThat(s.node.receivedWithData("original"))
        .as("the forgery did not poison the seen-cache")
        .isEqualTo(1);
  }

  @Test
  void unsignedMessageIsRejectedUnderStrictSign() {
    Setup s = routerWithMeshOf(1);
    RawPeer sender = s.peers.get(0);
    RpcProto.Message unsigned =
        sender.signedMessage(TOPIC, "x").toBuilder().clearSignature().build();
    sender.publish(s.node.key(), unsigned);
    s.net.run(Duration.ofMillis(10));
    assertThat(s.node.received).isEmpty();
    assertThat(s.net.await(s.node.router.stats()).messagesRejected()).isEqualTo(1);
  }

  @Test
  void validatorVerdictDecidesDeliveryAndForwarding() {
    Setup s = routerWithMeshOf(2);
    s.node.router.setValidator(
        TOPIC,
        m ->
            CompletableFuture.completedFuture(
                switch (new String(m.data())) {
                  case "good" -> ValidationResult.ACCEPT;
                  case "stale" -> ValidationResult.IGNORE;
                  default -> ValidationResult.REJECT;
                }));
    RawPeer sender = s.peers.get(0);
    sender.publish(s.node.key(), sender.signedMessage(TOPIC, "good"));
    sender.publish(s.node.key(), sender.signedMessage(TOPIC, "stale"));
    s.net.run(Duration.ofMillis(10));
    double afterIgnore = s.net.await(s.node.router.score(sender.key()));
    sender.publish(s.node.key(), sender.signedMessage(TOPIC, "evil"));
    s.net.run(Duration.ofMillis(10));

    assertThat(s.node.received).extracting(m -> new String(m.data())).containsExactly("good");
    assertThat(s.peers.get(1).messagesReceived())
        .extracting(m -> m.getData().toStringUtf8())
        .containsExactly("good");
    assertThat(afterIgnore).as("IGNORE costs nothing").isGreaterThanOrEqualTo(0);
    assertThat(s.net.await(s.node.router.score(sender.key()))).isNegative();
  }

  @Test
  void asynchronousValidatorHoldsTheMessageUntilItDecides() {
    Setup s = routerWithMeshOf(2);
    CompletableFuture<ValidationResult> verdict = new CompletableFuture<>();
    s.node.router.setValidator(TOPIC, m -> verdict);
    RawPeer sender = s.peers.get(0);
    sender.publish(s.node.key(), sender.signedMessage(TOPIC, "later"));
    s.net.run(Duration.ofMillis(50));
    assertThat(s.node.received).isEmpty();
    assertThat(s.peers.get(1).messagesReceived()).isEmpty();

    verdict.complete(ValidationResult.ACCEPT);
    s.net.run(Duration.ofMillis(10));
    assertThat(s.node.receivedWithData("later")).isEqualTo(1);
    assertThat(s.peers.get(1).messagesReceived()).hasSize(1);
  }

  @Test
  void peerSendingInvalidMessagesIsGraylistedAndThenIgnored() {
    Setup s = routerWithMeshOf(3);
    s.node.router.setValidator(
        TOPIC,
        m ->
            CompletableFuture.completedFuture(
                new String(m.data()).startsWith("bad")
                    ? ValidationResult.REJECT
                    : ValidationResult.ACCEPT));
    RawPeer attacker = s.peers.get(0);
    for (int i = 0; i < 3; i++) {
      attacker.publish(s.node.key(), attacker.signedMessage(TOPIC, "bad-" + i));
      s.net.run(Duration.ofMillis(10));
    }
    double score = s.net.await(s.node.router.score(attacker.key()));
    assertThat(score).as("P4 = -10 * 3^2").isLessThan(-80);

    attacker.publish(s.node.key(), attacker.signedMessage(TOPIC, "good-after"));
    s.net.run(Duration.ofMillis(10));
    assertThat(s.node.receivedWithData("good-after")).as("graylisted: RPC ignored").isZero();
    assertThat(s.net.await(s.node.router.stats()).rpcsDroppedFromGraylisted()).isEqualTo(1);

    s.net.run(Duration.ofSeconds(2));
    assertThat(s.net.await(s.node.router.meshPeers(TOPIC)))
        .as("negative score pruned from the mesh")
        .doesNotContain(attacker.key());

    RawPeer honest = s.peers.get(1);
    honest.publish(s.node.key(), honest.signedMessage(TOPIC, "good-honest"));
    s.net.run(Duration.ofMillis(10));
    assertThat(s.node.receivedWithData("good-honest")).isEqualTo(1);
  }

  @Test
  void iwantIsAnsweredFromTheCacheAndIHaveOfUnseenMessagesIsRequested() {
    Setup s = routerWithMeshOf(2);
    RawPeer author = s.peers.get(0);
    RawPeer asker = s.peers.get(1);
    RpcProto.Message known = author.signedMessage(TOPIC, "known");
    author.publish(s.node.key(), known);
    s.net.run(Duration.ofMillis(10));
    ByteString knownId = messageId(known);
    asker.received.clear();

    asker.control(
        s.node.key(),
        RpcProto.ControlMessage.newBuilder()
            .addIwant(RpcProto.ControlIWant.newBuilder().addMessageIDs(knownId))
            .build());
    s.net.run(Duration.ofMillis(10));
    assertThat(asker.messagesReceived()).containsExactly(known);

    RpcProto.Message unseen = author.signedMessage(TOPIC, "unseen");
    asker.control(
        s.node.key(),
        RpcProto.ControlMessage.newBuilder()
            .addIhave(
                RpcProto.ControlIHave.newBuilder()
                    .setTopicID(TOPIC)
                    .addMessageIDs(knownId)
                    .addMessageIDs(messageId(unseen)))
            .build());
    s.net.run(Duration.ofMillis(10));
    List<ByteString> wanted =
        asker.received.stream()
            .flatMap(r -> r.getControl().getIwantList().stream())
            .flatMap(w -> w.getMessageIDsList().stream())
            .toList();
    assertThat(wanted).containsExactly(messageId(unseen));
  }

  @Test
  void brokenIHavePromiseEarnsABehaviourPenalty() {
    Setup s = routerWithMeshOf(1);
    RawPeer liar = s.peers.get(0);
    RpcProto.Message neverSent = liar.signedMessage(TOPIC, "never");
    liar.control(
        s.node.key(),
        RpcProto.ControlMessage.newBuilder()
            .addIhave(
                RpcProto.ControlIHave.newBuilder()
                    .setTopicID(TOPIC)
                    .addMessageIDs(messageId(neverSent)))
            .build());
    s.net.run(Duration.ofSeconds(4));
    assertThat(s.net.await(s.node.router.behaviourPenalty(liar.key()))).isGreaterThan(0.9);
  }

  private static ByteString messageId(RpcProto.Message m) {
    return m.getFrom().concat(m.getSeqno());
  }
}
