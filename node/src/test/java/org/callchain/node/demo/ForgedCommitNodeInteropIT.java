package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.internal.proto.CanonicalProto;
import org.callchain.ledger.replication.LedgerNetworkConfig;
import org.callchain.ledger.replication.internal.proto.Commit;
import org.callchain.ledger.replication.internal.proto.GossipMessage;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.net.Multiaddr;
import org.callchain.net.interop.JsLibp2pPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A js-libp2p peer ({@code tools/libp2p-interop}, the replication tests' {@link JsLibp2pPeer})
 * joins a network of real {@code callchain node} processes (Anvil, alice and bob, loopback) with a
 * key the registrar registered, so alice's connection gater lets it in. It is in alice's mesh (it
 * receives bob's genuine commit through alice), then publishes on the topic: a replay of that
 * genuine commit, a commit of alice's own log signed by another key, a commit for the impostor's
 * unregistered device, a commit whose leaves do not add up to its checkpoint's size, and commits of
 * bob's log signed by another key. Alice ignores the replay, rejects every forgery with its reason
 * (log line, metric, {@code /status}), scores the forger down until it is graylisted, forwards
 * nothing to bob, and no node stores anything of it. (The lower-level version, in-process, is
 * p2p-ledger's ForgedCommitInteropIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgedCommitNodeInteropIT {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final String TOPIC = LedgerNetworkConfig.defaultTopic("callchain");
  private static final int MAX_EXTRA_FORGERIES = 10;

  @TempDir static Path dir;
  private DemoNetwork network;
  private DemoScenario scenario;
  private DemoDevice alice;
  private DemoDevice bob;
  private JsLibp2pPeer forger;
  private String forgerAddress;
  private byte[] genuineBobCommit;

  @BeforeAll
  void startNetwork() throws Exception {
    network =
        DemoNetwork.start(
            dir.resolve("net"), NodeDemo.BLOCK_TIME, NodeDemo.NODE_OPTIONS, NodeDemo.CHAIN_KEYS);
    scenario = new DemoScenario(network, System.out::println);
    scenario.createDevices(List.of("alice", "bob"), "mallory");
    scenario.registerPhones();
    scenario.startNodes();
    alice = scenario.phones().get(0);
    bob = scenario.phones().get(1);
    scenario.call(alice, bob);
    scenario.awaitReplicated();
    forger = JsLibp2pPeer.start("secp256k1");
    forger.subscribe(TOPIC);
    forgerAddress =
        DeviceAddress.ofPublicKey(forger.peerId().embeddedPublicKey().orElseThrow().raw()).toHex();
  }

  @AfterAll
  void stopNetwork() {
    if (forger != null) {
      forger.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  void aJsPeerWithARegisteredKeyIsAdmittedAndMeshedWithAlicesNode() throws Exception {
    network.chain().register(forgerAddress, "sip:forger@127.0.0.1");
    String forgerPeer = forger.peerId().toBase58();
    JsonNode admitted =
        Await.until(
            BOUND,
            "alice's node to admit the js-libp2p peer once its key is registered",
            () -> {
              forger.dial(Multiaddr.parse(alice.multiaddr()));
              return network.control(alice).status().peer(forgerPeer);
            },
            () -> "alice's node does not list " + forgerPeer);
    assertThat(admitted.path("device").asText()).isEqualToIgnoringCase(forgerAddress);
    assertThat(admitted.path("role").asText()).isEqualTo("device");
    Await.until(
        BOUND,
        "the js-libp2p peer to see alice's node on the topic",
        () ->
            Optional.of(forger.peers(TOPIC).path("topicPeers").toString())
                .filter(t -> t.contains(alice.peerId())),
        () -> "not a topic peer yet");

    scenario.call(bob, alice);
    scenario.awaitReplicated();
    long bobSize = network.control(bob).status().logSize();
    JsonNode delivered =
        forger.awaitEvent(e -> commitOf(e, bob, bobSize).isPresent(), BOUND.plusSeconds(30));
    genuineBobCommit = commitOf(delivered, bob, bobSize).orElseThrow();
    assertThat(network.control(bob).status().peer(forgerPeer))
        .as("the js-libp2p peer is connected to alice only")
        .isEmpty();
  }

  @Test
  @Order(2)
  void forgedCommitsAreRejectedScoredDownAndNeitherForwardedNorStored() throws Exception {
    assertThat(genuineBobCommit).as("the forger holds a genuine commit to replay").isNotNull();
    String forgerPeer = forger.peerId().toBase58();
    ControlStatus aliceBefore = network.control(alice).status();
    ControlStatus bobBefore = network.control(bob).status();
    long bobSize = bobBefore.logSize();
    long aliceSize = aliceBefore.logSize();
    DeviceKey aliceKey = unlock(alice);
    DeviceKey bobKey = unlock(bob);
    DeviceKey mallory = unlock(scenario.impostor());

    forger.publish(TOPIC, genuineBobCommit); // a replay: already held, ignored without penalty
    forger.publish(TOPIC, commit(aliceKey, mallory, aliceSize + 2, aliceSize + 2));
    forger.publish(TOPIC, commit(mallory, mallory, 3, 3));
    forger.publish(TOPIC, commit(bobKey, mallory, bobSize + 3, bobSize + 2));
    long rejected =
        Await.until(
                BOUND,
                "alice's node to reject the three forged commits",
                () ->
                    Optional.of(network.control(alice).status())
                        .filter(s -> s.rejectedMessages() >= aliceBefore.rejectedMessages() + 3),
                () -> "alice's node said:\n" + network.node(alice).tail())
            .rejectedMessages();
    assertThat(rejected)
        .as("the replay is ignored, the three forgeries rejected")
        .isEqualTo(aliceBefore.rejectedMessages() + 3);
    assertThat(network.control(alice).status().peer(forgerPeer))
        .hasValueSatisfying(
            p -> assertThat(p.path("score").asDouble()).as("the forger's score").isNegative());

    // Each further forgery (of bob's log, signed by mallory) either is rejected or finds the forger
    // graylisted (score below -80: gossipsub-v1.1.md "Score Thresholds"), and then its RPC is
    // dropped before validation.
    long graylisted = aliceBefore.graylistedRpcs();
    int extra = 0;
    while (graylisted == aliceBefore.graylistedRpcs() && extra < MAX_EXTRA_FORGERIES) {
      extra++;
      forger.publish(TOPIC, commit(bobKey, mallory, bobSize + 1 + extra, bobSize + 1 + extra));
      long rejectedSoFar = rejected;
      ControlStatus s =
          Await.until(
              BOUND,
              "alice's node to reject or drop forgery " + extra,
              () ->
                  Optional.of(network.control(alice).status())
                      .filter(
                          x ->
                              x.rejectedMessages() > rejectedSoFar
                                  || x.graylistedRpcs() > aliceBefore.graylistedRpcs()),
              () -> "alice's node said:\n" + network.node(alice).tail());
      rejected = s.rejectedMessages();
      graylisted = s.graylistedRpcs();
    }
    assertThat(graylisted)
        .as("the forger graylisted within " + MAX_EXTRA_FORGERIES + " more forgeries")
        .isGreaterThan(aliceBefore.graylistedRpcs());
    System.out.printf(
        "      forger graylisted after %d rejected messages (%d forgeries published)%n",
        rejected, 3 + extra);

    String metrics = network.control(alice).metrics();
    assertThat(metrics)
        .contains("callchain_gossip_rejected_total{reason=\"not_registered\"} 1.0")
        .contains("callchain_gossip_rejected_total{reason=\"malformed\"} 1.0")
        .contains("callchain_gossip_rejected_total{reason=\"inconsistent\"} 0.0")
        .doesNotContain("callchain_gossip_rejected_total{reason=\"bad_signature\"} 0.0");
    String log = Files.readString(network.log(alice));
    for (String reason :
        List.of(
            "bad_signature, claimed device " + alice.address(),
            "not_registered, claimed device " + scenario.impostor().address(),
            "malformed, claimed device none")) {
      assertThat(log)
          .as("alice's node logs each rejection")
          .containsPattern(
              "INFO .* rejected gossip message from peer "
                  + forgerPeer
                  + " \\(device "
                  + forgerAddress
                  + "\\): reason "
                  + reason);
    }

    // Genuine traffic still flows, and nothing of the forger's is anywhere.
    scenario.call(alice, bob);
    scenario.awaitReplicated();
    ControlStatus aliceAfter = network.control(alice).status();
    ControlStatus bobAfter = network.control(bob).status();
    assertThat(aliceAfter.rejectedMessages()).isEqualTo(rejected);
    assertThat(bobAfter.rejectedMessages())
        .as("rejected messages are not forwarded to bob")
        .isEqualTo(bobBefore.rejectedMessages());
    assertThat(bobAfter.graylistedRpcs()).isEqualTo(bobBefore.graylistedRpcs());
    assertThat(network.control(bob).metrics())
        .contains("callchain_gossip_rejected_total{reason=\"bad_signature\"} 0.0")
        .contains("callchain_gossip_rejected_total{reason=\"not_registered\"} 0.0");
    assertThat(aliceAfter.logSize()).isEqualTo(aliceBefore.logSize() + 1);
    assertThat(bobAfter.logSize()).isEqualTo(bobSize + 1);
    assertThat(aliceAfter.holds(bob.address(), bobAfter.logSize(), bobAfter.logRoot()))
        .as("alice's replica of bob is bob's own log")
        .isTrue();
    for (ControlStatus s : List.of(aliceAfter, bobAfter)) {
      assertThat(s.replica(scenario.impostor().address())).as(s.device()).isEmpty();
      assertThat(s.replica(forgerAddress)).as(s.device()).isEmpty();
      assertThat(s.json().path("replicas")).as(s.device()).hasSize(1);
    }
  }

  /**
   * A commit of {@code device}'s log claiming {@code claimedSize} leaves, carrying {@code leaves}
   * made-up records, its checkpoint signed by {@code signer}. (The tree is built with the device's
   * key only because the ledger builds trees of own logs; what is published is {@code signer}'s.)
   */
  private static byte[] commit(DeviceKey device, DeviceKey signer, long claimedSize, long leaves)
      throws Exception {
    DeviceLog log = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(device);
    CallRecords records = new CallRecords(device.address(), 7 + claimedSize);
    for (long i = 0; i < claimedSize; i++) {
      log.append(records.next());
    }
    Checkpoint real = log.commit();
    Checkpoint forged =
        new Checkpoint(
            real.device(),
            real.treeSize(),
            real.rootHash(),
            real.timestampMillis(),
            signer.sign(SigningDomain.CHECKPOINT, real.signedBody()));
    Commit.Builder commit =
        Commit.newBuilder().setCheckpoint(CanonicalProto.signedCheckpoint(forged));
    for (byte[] leaf : log.leaves(0, leaves)) {
      commit.addLeaves(ByteString.copyFrom(leaf));
    }
    return CanonicalProto.encode(
        GossipMessage.newBuilder().setVersion(1).setCommit(commit).build());
  }

  /** The bytes of a js-libp2p message event carrying {@code owner}'s commit at {@code size}. */
  private static Optional<byte[]> commitOf(JsonNode event, DemoDevice owner, long size) {
    if (!"message".equals(event.path("event").asText())
        || !TOPIC.equals(event.path("topic").asText())) {
      return Optional.empty();
    }
    byte[] data = Base64.getDecoder().decode(event.path("data").asText());
    try {
      GossipMessage m = GossipMessage.parseFrom(data);
      var body = m.getCommit().getCheckpoint().getBody();
      boolean match =
          m.hasCommit()
              && body.getTreeSize() == size
              && Arrays.equals(
                  body.getDevice().toByteArray(), DeviceAddress.parse(owner.address()).toBytes());
      return match ? Optional.of(data) : Optional.empty();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  private static DeviceKey unlock(DemoDevice d) throws Exception {
    return DeviceKeystore.unlock(
        d.dir().resolve("keystore.json"), DemoNetwork.PASSWORD.toCharArray());
  }
}
