package org.callchain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;

/** Replicas of other devices' logs: verification, rejection, and equivocation evidence. */
class ReplicaTest {
  private final Ledger bobsNode;
  private final Ledger alicesNode;
  private final DeviceLog alice;
  private final CallRecords gen = new CallRecords(TestKeys.ALICE.address(), 11);

  ReplicaTest() throws Exception {
    alicesNode = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    alice = alicesNode.ownLog(TestKeys.ALICE);
    bobsNode = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    bobsNode.ownLog(TestKeys.BOB);
  }

  private Checkpoint commit(int n) {
    for (int i = 0; i < n; i++) {
      alice.append(gen.next());
    }
    return alice.commit();
  }

  private ReplicaUpdate updateFrom(long from, Checkpoint cp) {
    return new ReplicaUpdate(
        cp,
        from,
        alice.leaves(from, cp.treeSize()),
        from == 0 ? null : alice.consistencyProof(from, cp.treeSize()));
  }

  @Test
  void verifiedUpdatesBuildAnIdenticalReplica() throws Exception {
    Checkpoint c1 = commit(5);
    assertThat(bobsNode.acceptReplica(updateFrom(0, c1)).kind())
        .isEqualTo(ReplicaOutcome.Kind.APPENDED);
    Checkpoint c2 = commit(8);
    assertThat(bobsNode.acceptReplica(updateFrom(5, c2)).replicaSize()).isEqualTo(13);
    LogView replica = bobsNode.log(TestKeys.ALICE.address()).orElseThrow();
    assertThat(replica.root(13)).isEqualTo(c2.rootHash());
    assertThat(replica.latestCheckpoint()).contains(c2);
    assertThat(replica.record(12)).isEqualTo(alice.record(12));
    assertThat(bobsNode.acceptReplica(updateFrom(5, c1)).kind())
        .isEqualTo(ReplicaOutcome.Kind.ALREADY_KNOWN);
  }

  @Test
  void updatesThatDoNotProveThemselvesAreRejectedAndNothingIsStored() throws Exception {
    Checkpoint c1 = commit(4);
    bobsNode.acceptReplica(updateFrom(0, c1));
    Checkpoint c2 = commit(4);
    List<byte[]> leaves = new ArrayList<>(alice.leaves(4, 8));

    Checkpoint forged =
        new Checkpoint(
            c2.device(), c2.treeSize(), c2.rootHash(), c2.timestampMillis() + 1, c2.signature());
    assertThatThrownBy(() -> bobsNode.acceptReplica(new ReplicaUpdate(forged, 4, leaves, null)))
        .isInstanceOf(ReplicaRejectedException.class)
        .hasMessageContaining("not signed by device");

    List<byte[]> swapped = new ArrayList<>(leaves);
    swapped.set(0, leaves.get(1));
    swapped.set(1, leaves.get(0));
    assertThatThrownBy(() -> bobsNode.acceptReplica(new ReplicaUpdate(c2, 4, swapped, null)))
        .hasMessageContaining("do not hash to the signed root");

    assertThatThrownBy(
            () -> bobsNode.acceptReplica(new ReplicaUpdate(c2, 5, leaves.subList(1, 4), null)))
        .hasMessageContaining("starts at leaf 5");

    List<byte[]> foreign = new ArrayList<>(leaves);
    foreign.set(2, CallRecordCodec.encode(new CallRecords(TestKeys.BOB.address(), 1).next()));
    assertThatThrownBy(() -> bobsNode.acceptReplica(new ReplicaUpdate(c2, 4, foreign, null)))
        .hasMessageContaining("was written by");

    assertThat(bobsNode.log(TestKeys.ALICE.address()).orElseThrow().size()).isEqualTo(4);
    assertThat(bobsNode.equivocations()).isEmpty();
  }

  @Test
  void twoSignedRootsForOneSizeAreEvidenceNotAnOverwrite() throws Exception {
    Checkpoint c1 = commit(6);
    bobsNode.acceptReplica(updateFrom(0, c1));
    byte[] other = c1.rootHash().toBytes();
    other[0] ^= 1;
    Checkpoint fork = Checkpoint.sign(TestKeys.ALICE, 6, Hash256.wrap(other), c1.timestampMillis());
    ReplicaOutcome outcome = bobsNode.acceptReplica(new ReplicaUpdate(fork, 6, List.of(), null));
    assertThat(outcome.kind()).isEqualTo(ReplicaOutcome.Kind.EQUIVOCATION);
    assertThat(outcome.evidence().proves()).isTrue();
    assertThat(bobsNode.log(TestKeys.ALICE.address()).orElseThrow().latestCheckpoint())
        .contains(c1);
    assertThat(bobsNode.equivocations()).hasSize(1);
    EquivocationEvidence decoded = EquivocationEvidence.decode(outcome.evidence().encoded());
    assertThat(decoded.proves()).isTrue();
  }

  @Test
  void aForkedHistoryIsProvenByAConsistencyPathFromTheHeldTree() throws Exception {
    // Alice's node shows Bob 10 records; then she signs a different history of 7 records.
    Checkpoint c10 = commit(10);
    bobsNode.acceptReplica(updateFrom(0, c10));
    Ledger forkNode = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    DeviceLog fork = forkNode.ownLog(TestKeys.ALICE);
    CallRecords other = new CallRecords(TestKeys.ALICE.address(), 999);
    for (int i = 0; i < 7; i++) {
      fork.append(other.next());
    }
    Checkpoint c7 = fork.commit();
    ReplicaOutcome outcome = bobsNode.acceptReplica(new ReplicaUpdate(c7, 7, List.of(), null));
    assertThat(outcome.kind()).isEqualTo(ReplicaOutcome.Kind.EQUIVOCATION);
    assertThat(outcome.evidence().earlier()).isEqualTo(c7);
    assertThat(outcome.evidence().later()).isEqualTo(c10);
    assertThat(outcome.evidence().proves()).isTrue();

    // A longer forked history, sent with an honest consistency proof of the fork from size 10?
    // Impossible: the fork's proof leads to a root at 10 that differs, which is evidence too.
    for (int i = 0; i < 9; i++) {
      fork.append(other.next());
    }
    Checkpoint c16 = fork.commit();
    Ledger carol = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    carol.acceptReplica(updateFrom(0, c10));
    ReplicaOutcome viaProof =
        carol.acceptReplica(
            new ReplicaUpdate(
                c16,
                10,
                fork.leaves(10, 16),
                new ConsistencyProof(10, 16, fork.consistencyProof(10, 16).path())));
    assertThat(viaProof.kind()).isEqualTo(ReplicaOutcome.Kind.EQUIVOCATION);
    assertThat(viaProof.evidence().proves()).isTrue();
  }

  @Test
  void evidenceThatDoesNotContradictProvesNothing() {
    Checkpoint c1 = commit(3);
    Checkpoint c2 = commit(3);
    assertThat(new EquivocationEvidence(c1, c2, alice.consistencyProof(3, 6).path(), 0).proves())
        .isFalse();
    assertThat(new EquivocationEvidence(c1, c1, List.of(), 0).proves()).isFalse();
  }

  @Test
  void theOwnLogCannotBeOverwrittenByAReplicaUpdate() throws Exception {
    Checkpoint c1 = commit(2);
    assertThatThrownBy(() -> alicesNode.acceptReplica(updateFrom(0, c1)))
        .hasMessageContaining("own log");
  }

  @Test
  void witnessSignaturesAreStoredOnlyForTheHeldCheckpointAndWhenTheyVerify() throws Exception {
    Checkpoint c1 = commit(3);
    bobsNode.acceptReplica(updateFrom(0, c1));
    WitnessSignature bob = WitnessSignature.sign(TestKeys.BOB, c1, 42);
    assertThat(alicesNode.addWitnessSignature(c1, bob)).isTrue();
    assertThat(alicesNode.addWitnessSignature(c1, bob)).isFalse();
    assertThat(alicesNode.witnessSignatures(c1.device(), 3)).containsExactly(bob);

    Checkpoint forged = Checkpoint.sign(TestKeys.ALICE, 3, Hash256.wrap(new byte[32]), 7);
    assertThatThrownBy(
            () ->
                bobsNode.addWitnessSignature(
                    forged, WitnessSignature.sign(TestKeys.CAROL, forged, 1)))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("differs from the one held here");
    WitnessSignature overOther = WitnessSignature.sign(TestKeys.CAROL, forged, 1);
    WitnessSignature misattributed =
        new WitnessSignature(TestKeys.CAROL.address(), 1, overOther.signature());
    assertThatThrownBy(() -> bobsNode.addWitnessSignature(c1, misattributed))
        .hasMessageContaining("does not verify");
    assertThatThrownBy(
            () -> bobsNode.addWitnessSignature(c1, WitnessSignature.sign(TestKeys.ALICE, c1, 1)))
        .hasMessageContaining("cannot witness its own checkpoint");
    Checkpoint later = commit(1);
    assertThatThrownBy(
            () ->
                bobsNode.addWitnessSignature(
                    later, WitnessSignature.sign(TestKeys.CAROL, later, 1)))
        .hasMessageContaining("is held here");
    assertThat(bobsNode.witnessSignatures(c1.device(), 3)).isEmpty();
  }
}
