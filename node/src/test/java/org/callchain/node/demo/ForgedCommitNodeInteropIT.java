package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A js-libp2p peer ({@code tools/libp2p-interop}, the replication tests' {@link JsLibp2pPeer})
 * joins a network of real {@code callchain node} processes with a registered key, and publishes
 * forged commits on the topic: one for alice's log signed by another key, one for the impostor's
 * unregistered device. The node it is connected to rejects both, forwards neither, and no node
 * stores anything of them. (The lower-level version, in-process, is p2p-ledger's
 * ForgedCommitInteropIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgedCommitNodeInteropIT {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final String TOPIC = LedgerNetworkConfig.defaultTopic("callchain");

  @TempDir static Path dir;
  private DemoNetwork network;
  private DemoScenario scenario;
  private JsLibp2pPeer forger;

  @BeforeAll
  void startNetwork() throws Exception {
    network =
        DemoNetwork.start(
            dir.resolve("net"), NodeDemo.BLOCK_TIME, NodeDemo.NODE_OPTIONS, NodeDemo.CHAIN_KEYS);
    scenario = new DemoScenario(network, System.out::println);
    scenario.createDevices(List.of("alice", "bob"), "mallory");
    scenario.registerPhones();
    scenario.startNodes();
    scenario.call(alice(), bob());
    scenario.awaitReplicated();
    forger = JsLibp2pPeer.start("secp256k1");
    forger.subscribe(TOPIC);
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
  void forgedCommitsFromARegisteredJsPeerAreRejectedAndNothingOfThemIsStored() throws Exception {
    DemoDevice alice = alice();
    DemoDevice bob = bob();
    String forgerAddress =
        DeviceAddress.ofPublicKey(forger.peerId().embeddedPublicKey().orElseThrow().raw()).toHex();
    network.chain().register(forgerAddress, "sip:forger@127.0.0.1");
    Await.until(
        BOUND,
        "the js-libp2p peer connected to alice's node",
        () -> {
          forger.dial(Multiaddr.parse(alice.multiaddr()));
          return Optional.of(network.control(alice).status())
              .filter(s -> s.json().path("peers").toString().contains(forger.peerId().toBase58()));
        },
        () -> "alice's node does not list it");
    String alicePeer = alice.peerId();
    Await.until(
        BOUND,
        "the js-libp2p peer to see alice's node on the topic",
        () ->
            Optional.of(forger.peers(TOPIC).path("topicPeers").toString())
                .filter(t -> t.contains(alicePeer)),
        () -> "not a topic peer yet");
    ControlStatus aliceBefore = network.control(alice).status();
    long rejectedAtBob = network.control(bob).status().json().path("rejectedMessages").asLong();
    DeviceKey aliceKey = unlock(alice);
    DeviceKey mallory = unlock(scenario.impostor());

    forger.publish(TOPIC, commit(aliceKey, mallory, aliceBefore.logSize() + 2));
    forger.publish(TOPIC, commit(mallory, mallory, 3));
    Await.until(
        BOUND,
        "alice's node to reject both forged commits",
        () ->
            Optional.of(network.control(alice).status())
                .filter(s -> s.json().path("rejectedMessages").asLong() >= 2),
        () -> "fewer than 2 rejected messages; alice's node said:\n" + network.node(alice).tail());
    scenario.call(bob, alice);
    scenario.awaitReplicated();

    for (DemoDevice d : List.of(alice, bob)) {
      ControlStatus s = network.control(d).status();
      assertThat(s.replica(scenario.impostor().address())).as(d.name()).isEmpty();
      assertThat(s.replica(forgerAddress)).as(d.name()).isEmpty();
    }
    assertThat(network.control(alice).status().logSize())
        .as("alice's log grew only by its own record of bob's call")
        .isEqualTo(aliceBefore.logSize() + 1);
    assertThat(network.control(bob).status().json().path("rejectedMessages").asLong())
        .as("rejected messages are not forwarded to bob")
        .isEqualTo(rejectedAtBob);
  }

  /** A commit of {@code size} made-up records of {@code device}'s log, signed by {@code signer}. */
  private static byte[] commit(DeviceKey device, DeviceKey signer, long size) throws Exception {
    DeviceLog log = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(device);
    CallRecords records = new CallRecords(device.address(), 7);
    for (long i = 0; i < size; i++) {
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
    for (byte[] leaf : log.leaves(0, size)) {
      commit.addLeaves(ByteString.copyFrom(leaf));
    }
    return CanonicalProto.encode(
        GossipMessage.newBuilder().setVersion(1).setCommit(commit).build());
  }

  private static DeviceKey unlock(DemoDevice d) throws Exception {
    return DeviceKeystore.unlock(
        d.dir().resolve("keystore.json"), DemoNetwork.PASSWORD.toCharArray());
  }

  private DemoDevice alice() {
    return scenario.phones().get(0);
  }

  private DemoDevice bob() {
    return scenario.phones().get(1);
  }
}
