package org.callchain.ledger.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.TestRegistry;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.net.HostConfig;
import org.callchain.net.PeerId;
import org.callchain.net.internal.libp2p.Libp2pHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a sync responder serves: its heads with their co-signatures, and pages that end at stored
 * checkpoints (never beyond the asked page unless one commit is larger), each with the consistency
 * proof from where the asker stands — and that the asker can apply page after page.
 */
class LedgerSyncTest {
  private final Ledger bobs = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
  private final Libp2pHost host =
      new Libp2pHost(HostConfig.builder(TestKeys.BOB.networkKey()).build());
  private final TestRegistry registry =
      new TestRegistry().register(TestKeys.ALICE.address()).register(TestKeys.CAROL.address());
  private final LedgerSync sync;
  private final DeviceLog alice;

  LedgerSyncTest() throws Exception {
    bobs.ownLog(TestKeys.BOB);
    GossipValidation validation =
        new GossipValidation(bobs, TestKeys.BOB.address(), new Membership(registry, Set.of()));
    sync =
        new LedgerSync(
            host,
            bobs,
            TestKeys.BOB.address(),
            validation,
            Runnable::run,
            Duration.ofSeconds(1),
            3,
            new LedgerSync.Outcomes() {
              @Override
              public void handle(Verdict verdict, PeerId from, boolean coSign) {}

              @Override
              public void rejected(PeerId from, Verdict rejection) {}

              @Override
              public void witnessAdded(Checkpoint checkpoint, WitnessSignature witness) {}
            });
    alice = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(TestKeys.ALICE);
    CallRecords records = new CallRecords(TestKeys.ALICE.address(), 3);
    for (int batch : new int[] {2, 2, 1, 4}) {
      for (int i = 0; i < batch; i++) {
        alice.append(records.next());
      }
      Checkpoint cp = alice.commit();
      validation.commit(
          new CommitMessage(
              cp, cp.treeSize() - batch, alice.leaves(cp.treeSize() - batch, cp.treeSize()), null));
    }
  }

  @AfterEach
  void close() {
    host.close();
  }

  private SyncMessages.Response ask(SyncMessages.Request request) throws Exception {
    return ReplicationCodec.decodeResponse(sync.respond(ReplicationCodec.encodeRequest(request)));
  }

  private SyncMessages.LeavesPage page(long from, long to) throws Exception {
    return (SyncMessages.LeavesPage)
        ask(new SyncMessages.LeavesRequest(TestKeys.ALICE.address(), from, to, 3));
  }

  @Test
  void headsListEveryLogHeldWithTheCoSignaturesOfItsHead() throws Exception {
    Checkpoint head = alice.latestCheckpoint().orElseThrow();
    WitnessSignature carol = WitnessSignature.sign(TestKeys.CAROL, head, 9);
    bobs.addWitnessSignature(head, carol);
    SyncMessages.Heads heads = (SyncMessages.Heads) ask(new SyncMessages.HeadsRequest());
    assertThat(heads.heads()).contains(head);
    assertThat(heads.witnesses()).containsExactly(new WitnessMessage(head, carol));
  }

  @Test
  void pagesEndAtStoredCheckpointsAndCarryConsistencyProofs() throws Exception {
    // commits end at 2, 4, 5 and 9; pages hold at most 3 leaves unless one commit is larger
    assertThat(page(0, 9).commit().checkpoint().treeSize()).isEqualTo(2);
    assertThat(page(0, 9).commit().proof()).isNull();
    SyncMessages.LeavesPage second = page(2, 9);
    assertThat(second.commit().checkpoint().treeSize()).isEqualTo(5);
    assertThat(second.commit().leaves()).hasSize(3);
    assertThat(second.commit().proof().verifies(alice.root(2), alice.root(5))).isTrue();
    SyncMessages.LeavesPage large = page(5, 9);
    assertThat(large.commit().checkpoint().treeSize()).isEqualTo(9);
    assertThat(large.commit().leaves()).hasSize(4);
    assertThat(page(0, 4).commit().checkpoint().treeSize()).isEqualTo(2);
  }

  @Test
  void requestsThatCannotBeServedAreAnsweredWithAFailure() throws Exception {
    assertThat(ask(new SyncMessages.LeavesRequest(TestKeys.ALICE.address(), 9, 12, 3)))
        .isInstanceOf(SyncMessages.Failure.class);
    assertThat(ask(new SyncMessages.LeavesRequest(TestKeys.MALLORY.address(), 0, 2, 3)))
        .isInstanceOf(SyncMessages.Failure.class);
    assertThat(ReplicationCodec.decodeResponse(sync.respond(new byte[] {9, 9, 9})))
        .isInstanceOf(SyncMessages.Failure.class);
  }

  @Test
  void anotherNodeAppliesThePagesOneAfterAnother() throws Exception {
    Ledger carols = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    carols.ownLog(TestKeys.CAROL);
    GossipValidation carol =
        new GossipValidation(carols, TestKeys.CAROL.address(), new Membership(registry, Set.of()));
    long held = 0;
    while (held < 9) {
      Verdict v = carol.commit(page(held, 9).commit());
      assertThat(v.appended()).isPresent();
      held = carol.heldSize(TestKeys.ALICE.address());
    }
    assertThat(carols.log(TestKeys.ALICE.address()).orElseThrow().latestCheckpoint())
        .isEqualTo(alice.latestCheckpoint());
  }
}
