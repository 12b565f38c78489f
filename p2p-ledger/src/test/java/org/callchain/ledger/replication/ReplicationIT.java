package org.callchain.ledger.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callchain.ledger.replication.LedgerNode.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.Multiaddr;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real libp2p nodes on loopback (TCP, Noise, yamux, gossipsub) with RocksDB ledgers: commits
 * from each reach the other two by gossip and are co-signed; a node that was down for a batch of
 * commits catches up by sync after its restart, also from a replica while the owner is down; a
 * partitioned node converges after the partition heals; a device whose registration is revoked is
 * dropped and its next commit rejected; keys that are neither registered devices nor auditors
 * cannot connect.
 */
class ReplicationIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Long enough that only gossip, and heads exchanged on connect, can move records. */
  private static final Duration NO_ANTI_ENTROPY = Duration.ofHours(1);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static TestRegistry registryOfAll() {
    return new TestRegistry()
        .register(TestKeys.ALICE.address())
        .register(TestKeys.BOB.address())
        .register(TestKeys.CAROL.address());
  }

  private LedgerNode node(DeviceKey key, TestRegistry registry, Duration antiEntropy) {
    LedgerNode n = new LedgerNode(key, registry, dir.resolve(key.address().toHex()), antiEntropy);
    open.add(n);
    return n;
  }

  private static boolean holds(LedgerNode at, LedgerNode of, long size) {
    return at.held(of.device()) == size && at.root(of.device()).equals(of.root(of.device()));
  }

  /** Announces until flood publishing reaches {@code peers} (subscriptions take a heartbeat). */
  private static Checkpoint announceToAll(LedgerNode n, int records, int peers) throws Exception {
    Checkpoint cp = n.commit(records);
    await(
        n + " reaching " + peers + " peers",
        () -> {
          try {
            return n.net.announce(cp).get(10, TimeUnit.SECONDS) >= peers;
          } catch (Exception e) {
            return false;
          }
        },
        WAIT);
    return cp;
  }

  @Test
  void commitsOfEachNodeReachTheOtherTwoAndAreCoSigned() throws Exception {
    TestRegistry registry = registryOfAll();
    LedgerNode a = node(TestKeys.ALICE, registry, NO_ANTI_ENTROPY).start(List.of());
    LedgerNode b = node(TestKeys.BOB, registry, NO_ANTI_ENTROPY).start(List.of(a.address()));
    LedgerNode c =
        node(TestKeys.CAROL, registry, NO_ANTI_ENTROPY).start(List.of(a.address(), b.address()));
    List<LedgerNode> all = List.of(a, b, c);
    await("full connectivity", () -> all.stream().allMatch(n -> n.peers() == 2), WAIT);

    for (LedgerNode n : all) {
      announceToAll(n, 3, 2);
    }
    for (LedgerNode n : all) {
      n.commitAndAnnounce(2);
    }
    await(
        "every log on every node",
        () ->
            all.stream().allMatch(at -> all.stream().allMatch(of -> at == of || holds(at, of, 5))),
        WAIT);

    // Each owner ends up with both other nodes' co-signatures of its latest checkpoint.
    for (LedgerNode owner : all) {
      await(
          "co-signatures of " + owner.device(),
          () -> owner.ledger.witnessSignatures(owner.device(), 5).size() == 2,
          WAIT);
      Checkpoint cp = owner.log.latestCheckpoint().orElseThrow();
      assertThat(owner.ledger.witnessSignatures(owner.device(), 5))
          .allMatch(w -> w.verifies(cp))
          .extracting(WitnessSignature::witness)
          .doesNotContain(owner.device());
    }
    NetworkStatus status = a.net.status();
    assertThat(status.peers())
        .extracting(PeerStatus::device)
        .containsExactlyInAnyOrder(b.device(), c.device());
    // registered devices that delivered valid commits: P5 +1 and first-delivery rewards
    assertThat(status.peers()).allMatch(p -> p.score() > 0 && p.role() == PeerStatus.Role.DEVICE);
    assertThat(status.logs()).hasSize(3);
    assertThat(status.logs())
        .allMatch(r -> r.size() == 5 && r.state() == ReplicaStatus.State.OK && r.witnesses() == 2);
    assertThat(status.rejectedMessages()).isZero();
    assertThat(a.address().toString()).contains("/p2p/" + a.net.peerId().toBase58());
  }

  @Test
  void aNodeThatWasDownForABatchCatchesUpBySyncAfterItsRestart() throws Exception {
    TestRegistry registry = registryOfAll();
    LedgerNode a = node(TestKeys.ALICE, registry, NO_ANTI_ENTROPY).start(List.of());
    LedgerNode b = node(TestKeys.BOB, registry, NO_ANTI_ENTROPY).start(List.of(a.address()));
    LedgerNode c =
        node(TestKeys.CAROL, registry, NO_ANTI_ENTROPY).start(List.of(a.address(), b.address()));
    await("full connectivity", () -> a.peers() == 2 && b.peers() == 2, WAIT);
    announceToAll(a, 2, 2);
    await("c has a's first commit", () -> holds(c, a, 2), WAIT);

    c.stop();
    await("c gone", () -> a.peers() == 1 && b.peers() == 1, WAIT);
    for (int batch = 0; batch < 4; batch++) {
      a.commitAndAnnounce(3);
      b.commitAndAnnounce(2);
    }
    await("b has a's batch", () -> holds(b, a, 14), WAIT);

    c.start(List.of(a.address(), b.address()));
    // sync pages are 3 leaves, so the 12 missing leaves of a and 8 of b take several requests
    await("c caught up", () -> holds(c, a, 14) && holds(c, b, 8), WAIT);
    assertThat(c.rejections).isEmpty();
    assertThat(c.ledger.equivocations()).isEmpty();
  }

  @Test
  void aRestartedNodeCatchesUpADevicesLogFromAnotherReplicaWhileTheOwnerIsDown() throws Exception {
    TestRegistry registry = registryOfAll();
    LedgerNode a = node(TestKeys.ALICE, registry, NO_ANTI_ENTROPY).start(List.of());
    LedgerNode b = node(TestKeys.BOB, registry, NO_ANTI_ENTROPY).start(List.of(a.address()));
    LedgerNode c = node(TestKeys.CAROL, registry, NO_ANTI_ENTROPY).start(List.of(b.address()));
    await("connected", () -> b.peers() == 2, WAIT);
    c.stop();
    await("c gone", () -> b.peers() == 1, WAIT);
    for (int batch = 0; batch < 3; batch++) {
      a.commitAndAnnounce(4);
    }
    await("b has a's log", () -> holds(b, a, 12), WAIT);
    var aRoot = a.root(a.device()).orElseThrow();
    a.stop(); // the owner is gone; only b's replica can serve it

    c.start(List.of(b.address()));
    await("c has a's log from b", () -> c.held(a.device()) == 12, WAIT);
    assertThat(c.root(a.device())).contains(aRoot);
    assertThat(c.net.status().peers()).extracting(PeerStatus::device).containsExactly(b.device());
  }

  @Test
  void aPartitionedNodeConvergesAfterThePartitionHeals() throws Exception {
    TestRegistry registry = registryOfAll();
    LedgerNode a = node(TestKeys.ALICE, registry, Duration.ofSeconds(1)).start(List.of());
    LedgerNode b = node(TestKeys.BOB, registry, Duration.ofSeconds(1)).start(List.of(a.address()));
    TcpProxy toA = proxy(a);
    TcpProxy toB = proxy(b);
    LedgerNode c =
        node(TestKeys.CAROL, registry, Duration.ofSeconds(1))
            .start(List.of(via(toA, a), via(toB, b)));
    await("full connectivity", () -> c.peers() == 2 && a.peers() == 2, WAIT);

    toA.cut();
    toB.cut();
    await("c partitioned", () -> c.peers() == 0 && a.peers() == 1 && b.peers() == 1, WAIT);
    a.commitAndAnnounce(4);
    b.commitAndAnnounce(3);
    c.commitAndAnnounce(2);
    await("a and b exchange", () -> holds(b, a, 4) && holds(a, b, 3), WAIT);
    assertThat(c.held(a.device())).isZero();
    assertThat(a.held(c.device())).isZero();

    toA.heal();
    toB.heal();
    List<LedgerNode> all = List.of(a, b, c);
    await(
        "convergence",
        () -> holds(c, a, 4) && holds(c, b, 3) && holds(a, c, 2) && holds(b, c, 2),
        WAIT);
    for (LedgerNode n : all) {
      assertThat(n.ledger.equivocations()).isEmpty();
    }
  }

  @Test
  void aRevokedDeviceIsDisconnectedAndItsNextCommitRejected() throws Exception {
    // Each node has its own view of the registry, as each follows the chain on its own.
    TestRegistry atA = registryOfAll();
    TestRegistry atB = registryOfAll();
    TestRegistry atC = registryOfAll();
    LedgerNode a = node(TestKeys.ALICE, atA, NO_ANTI_ENTROPY).start(List.of());
    LedgerNode b = node(TestKeys.BOB, atB, NO_ANTI_ENTROPY).start(List.of(a.address()));
    LedgerNode c =
        node(TestKeys.CAROL, atC, NO_ANTI_ENTROPY).start(List.of(a.address(), b.address()));
    await("full connectivity", () -> a.peers() == 2 && b.peers() == 2, WAIT);
    announceToAll(c, 2, 2);
    await("c's commit replicated", () -> holds(a, c, 2) && holds(b, c, 2), WAIT);

    atA.revoke(c.device()); // a has seen the revocation; b not yet
    await(
        "a drops c",
        () -> a.net.status().peers().stream().noneMatch(p -> p.device().equals(c.device())),
        WAIT);
    c.commitAndAnnounce(3);
    // b still accepts it and forwards it to a, whose validator rejects it
    await("b stores c's commit", () -> holds(b, c, 5), WAIT);
    await("a rejects it", () -> !a.rejections.isEmpty(), WAIT);
    assertThat(a.rejections).anyMatch(r -> r.contains("not an active registered device"));
    assertThat(a.held(c.device())).isEqualTo(2);
    // and c cannot come back to a: its redials are refused by a's gater
    Thread.sleep(1500);
    assertThat(a.net.status().peers()).extracting(PeerStatus::device).doesNotContain(c.device());
  }

  @Test
  void onlyRegisteredDevicesAndAuditorsMayConnect() throws Exception {
    DeviceKey auditor = TestKeys.named("auditor");
    LedgerNode a = node(TestKeys.ALICE, registryOfAll(), NO_ANTI_ENTROPY);
    a.auditors = Set.of(auditor.address());
    a.start(List.of());
    try (Host stranger = host(TestKeys.MALLORY);
        Host audit = host(auditor)) {
      try {
        stranger
            .dial(a.address())
            .get(10, TimeUnit.SECONDS)
            .closeFuture()
            .get(10, TimeUnit.SECONDS);
      } catch (ExecutionException refusedDuringUpgrade) {
        // a may close before the stranger's muxer negotiation ends
      }
      audit.dial(a.address()).get(10, TimeUnit.SECONDS);
      await("the auditor listed", () -> a.peers() == 1, WAIT);
      assertThat(a.net.status().peers())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.device()).isEqualTo(auditor.address());
                assertThat(p.role()).isEqualTo(PeerStatus.Role.AUDITOR);
              });
      assertThat(stranger.connections()).isEmpty();
    }
  }

  private static Host host(DeviceKey key) throws Exception {
    Host h = new Libp2pHost(HostConfig.builder(key.networkKey()).build());
    h.start().get(10, TimeUnit.SECONDS);
    return h;
  }

  private TcpProxy proxy(LedgerNode target) throws Exception {
    Multiaddr addr = target.address();
    String[] parts = addr.toString().split("/");
    TcpProxy p = new TcpProxy(new InetSocketAddress(parts[2], Integer.parseInt(parts[4])));
    open.add(p);
    return p;
  }

  private static Multiaddr via(TcpProxy proxy, LedgerNode target) throws Exception {
    return Multiaddr.parse(
        "/ip4/127.0.0.1/tcp/" + proxy.port() + "/p2p/" + target.net.peerId().toBase58());
  }
}
