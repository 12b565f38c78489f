package org.callchain.ledger.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callchain.ledger.replication.LedgerNode.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.internal.proto.CanonicalProto;
import org.callchain.ledger.replication.internal.proto.Commit;
import org.callchain.ledger.replication.internal.proto.GossipMessage;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.net.PeerId;
import org.callchain.net.interop.JsLibp2pPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A js-libp2p peer ({@code tools/libp2p-interop}, ADR 0061) on the network's topic. Its secp256k1
 * key is a configured auditor, so it may connect and its messages reach our validator: it publishes
 * forged commits — one signed by a key that is not a registered device, one that claims a
 * registered device but carries another key's signature. Both are rejected by the Java node it is
 * connected to, never forwarded to the node behind it, and nothing of them is stored, while a
 * genuine commit flows to the JS peer over the same mesh. A second JS peer, neither registered nor
 * an auditor, is refused by the connection gater.
 */
class ForgedCommitInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String TOPIC = LedgerNetworkConfig.defaultTopic("it");

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private JsLibp2pPeer js(String keyType) throws Exception {
    JsLibp2pPeer peer = JsLibp2pPeer.start(keyType);
    open.add(peer);
    return peer;
  }

  private static DeviceAddress addressOf(PeerId peer) {
    return DeviceAddress.ofPublicKey(peer.embeddedPublicKey().orElseThrow().raw());
  }

  /** A commit of {@code n} records of {@code device}, its checkpoint signed by {@code signer}. */
  private static byte[] forgedCommit(DeviceKey device, DeviceKey signer, int n) throws Exception {
    DeviceLog log = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(device);
    CallRecords records = new CallRecords(device.address(), 77);
    for (int i = 0; i < n; i++) {
      log.append(records.next());
    }
    Checkpoint real = log.commit();
    Checkpoint cp =
        new Checkpoint(
            real.device(),
            real.treeSize(),
            real.rootHash(),
            real.timestampMillis(),
            signer.sign(SigningDomain.CHECKPOINT, real.signedBody()));
    Commit.Builder commit = Commit.newBuilder().setCheckpoint(CanonicalProto.signedCheckpoint(cp));
    for (byte[] leaf : log.leaves(0, n)) {
      commit.addLeaves(ByteString.copyFrom(leaf));
    }
    return CanonicalProto.encode(
        GossipMessage.newBuilder().setVersion(1).setCommit(commit).build());
  }

  private static boolean jsSees(JsLibp2pPeer js, PeerId peer) {
    try {
      for (JsonNode p : js.peers(TOPIC).path("topicPeers")) {
        if (p.asText().equals(peer.toBase58())) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void forgedCommitsFromAJsPeerAreRejectedNotForwardedAndNotStored() throws Exception {
    JsLibp2pPeer forger = js("secp256k1");
    forger.subscribe(TOPIC);
    DeviceAddress forgerAddress = addressOf(forger.peerId());
    TestRegistry registry =
        new TestRegistry()
            .register(TestKeys.ALICE.address())
            .register(TestKeys.BOB.address())
            .register(TestKeys.CAROL.address()); // registered, but not running here
    LedgerNode a = new LedgerNode(TestKeys.ALICE, registry, dir.resolve("a"), Duration.ofHours(1));
    a.auditors = Set.of(forgerAddress);
    open.add(a.start(List.of()));
    LedgerNode b = new LedgerNode(TestKeys.BOB, registry, dir.resolve("b"), Duration.ofHours(1));
    open.add(b.start(List.of(a.address())));
    forger.dial(a.address());
    await("the forger on a's topic", () -> jsSees(forger, a.net.peerId()) && a.peers() == 2, WAIT);
    assertThat(a.net.status().peers())
        .filteredOn(p -> p.device().equals(forgerAddress))
        .singleElement()
        .extracting(PeerStatus::role)
        .isEqualTo(PeerStatus.Role.AUDITOR);

    // The mesh works: a genuine commit of a's reaches the JS peer.
    Checkpoint genuine = a.commit(2);
    await("a's commit at the JS peer", () -> announced(a, genuine) >= 2, WAIT);
    JsonNode delivered =
        forger.awaitEvent(
            e ->
                "message".equals(e.path("event").asText())
                    && TOPIC.equals(e.path("topic").asText()),
            WAIT);
    assertThat(Base64.getDecoder().decode(delivered.path("data").asText())).isNotEmpty();

    forger.publish(TOPIC, forgedCommit(TestKeys.MALLORY, TestKeys.MALLORY, 3));
    forger.publish(TOPIC, forgedCommit(TestKeys.CAROL, TestKeys.MALLORY, 2));
    await("both forgeries rejected", () -> a.rejections.size() >= 2, WAIT);
    assertThat(a.rejections)
        .anyMatch(r -> r.contains("not an active registered device"))
        .anyMatch(r -> r.contains("is not signed by device " + TestKeys.CAROL.address()));
    assertThat(a.reasons)
        .containsExactlyInAnyOrder(RejectionReason.NOT_REGISTERED, RejectionReason.BAD_SIGNATURE);
    assertThat(a.net.status().rejectedMessages()).isEqualTo(2);
    assertThat(a.net.status().peers())
        .filteredOn(p -> p.device().equals(forgerAddress))
        .singleElement()
        .satisfies(p -> assertThat(p.score()).as("the forger's gossipsub score").isNegative());
    await("b has a's genuine commit", () -> b.held(a.device()) == 2, WAIT);
    for (LedgerNode n : List.of(a, b)) {
      assertThat(n.ledger.devices())
          .doesNotContain(TestKeys.MALLORY.address(), TestKeys.CAROL.address());
      assertThat(n.ledger.equivocations()).isEmpty();
    }
    assertThat(b.rejections).as("rejected messages are not forwarded").isEmpty();
  }

  @Test
  void aJsPeerThatIsNeitherADeviceNorAnAuditorIsRefused() throws Exception {
    JsLibp2pPeer stranger = js("secp256k1");
    TestRegistry registry = new TestRegistry().register(TestKeys.ALICE.address());
    LedgerNode a = new LedgerNode(TestKeys.ALICE, registry, dir.resolve("a"), Duration.ofHours(1));
    open.add(a.start(List.of()));
    try {
      stranger.dial(a.address());
    } catch (IllegalStateException refused) {
      // js-libp2p reports the closed upgrade as a failed dial
    }
    Thread.sleep(1000);
    assertThat(a.net.status().peers()).isEmpty();
    assertThat(stranger.peers(null).path("peers").toString())
        .doesNotContain(a.net.peerId().toBase58());
  }

  private static int announced(LedgerNode n, Checkpoint cp) {
    try {
      return n.net.announce(cp).get();
    } catch (Exception e) {
      return 0;
    }
  }
}
