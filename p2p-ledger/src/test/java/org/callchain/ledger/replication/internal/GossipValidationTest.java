package org.callchain.ledger.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.LogView;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.RejectionReason;
import org.callchain.ledger.replication.TestRegistry;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.net.pubsub.ValidationResult;
import org.junit.jupiter.api.Test;

/**
 * The verdict for each kind of gossip message Bob's node can receive, and that nothing of a refused
 * message is stored.
 */
class GossipValidationTest {
  private final TestRegistry registry =
      new TestRegistry()
          .register(TestKeys.ALICE.address())
          .register(TestKeys.BOB.address())
          .register(TestKeys.CAROL.address());
  private final Ledger bobs = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
  private final GossipValidation bob;

  GossipValidationTest() throws Exception {
    bobs.ownLog(TestKeys.BOB);
    bob = new GossipValidation(bobs, TestKeys.BOB.address(), new Membership(registry, Set.of()));
  }

  /** A device's own node, producing commits. */
  private static final class Producer {
    final DeviceLog log;
    final CallRecords records;

    Producer(DeviceKey key, long seed) throws Exception {
      log = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(key);
      records = new CallRecords(key.address(), seed);
    }

    Checkpoint commit(int n) {
      for (int i = 0; i < n; i++) {
        log.append(records.next());
      }
      return log.commit();
    }

    byte[] message(long from, Checkpoint cp) {
      return ReplicationCodec.encodeCommit(
          new CommitMessage(cp, from, log.leaves(from, cp.treeSize()), null));
    }
  }

  private long held(DeviceKey key) {
    return bobs.log(key.address()).map(LogView::size).orElse(0L);
  }

  @Test
  void aValidCommitIsAcceptedAndStoredAndItsDuplicateIgnored() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 1);
    Checkpoint cp = alice.commit(3);
    Verdict v = bob.validate(alice.message(0, cp));
    assertThat(v.result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(v.appended()).contains(new Verdict.Appended(cp, 0));
    assertThat(bobs.log(TestKeys.ALICE.address()).orElseThrow().latestCheckpoint()).contains(cp);

    assertThat(bob.validate(alice.message(0, cp)).result()).isEqualTo(ValidationResult.IGNORE);
    Checkpoint next = alice.commit(2);
    assertThat(bob.validate(alice.message(3, next)).result()).isEqualTo(ValidationResult.ACCEPT);
    // a message that starts before what is held carries the missing leaves too
    Checkpoint third = alice.commit(1);
    assertThat(bob.validate(alice.message(0, third)).result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(held(TestKeys.ALICE)).isEqualTo(6);
  }

  @Test
  void aCommitOfAnUnregisteredDeviceIsRejectedAndNotStored() throws Exception {
    Producer mallory = new Producer(TestKeys.MALLORY, 2);
    Verdict v = bob.validate(mallory.message(0, mallory.commit(2)));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(v.reason()).contains("not an active registered device");
    assertThat(v.refusal())
        .contains(
            new Verdict.Refusal(
                RejectionReason.NOT_REGISTERED, Optional.of(TestKeys.MALLORY.address())));
    assertThat(bobs.devices()).doesNotContain(TestKeys.MALLORY.address());
  }

  @Test
  void aCommitOfARevokedDeviceIsRejected() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 3);
    assertThat(bob.validate(alice.message(0, alice.commit(1))).result())
        .isEqualTo(ValidationResult.ACCEPT);
    registry.revoke(TestKeys.ALICE.address());
    Verdict v = bob.validate(alice.message(1, alice.commit(1)));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(held(TestKeys.ALICE)).isEqualTo(1);
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsRejected() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 4);
    Checkpoint real = alice.commit(2);
    Checkpoint forged =
        new Checkpoint(
            real.device(),
            real.treeSize(),
            real.rootHash(),
            real.timestampMillis(),
            TestKeys.MALLORY.sign(SigningDomain.CHECKPOINT, real.signedBody()));
    Verdict v = bob.validate(alice.message(0, forged));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(v.reason()).contains("is not signed by device");
    assertThat(v.refusal())
        .contains(
            new Verdict.Refusal(
                RejectionReason.BAD_SIGNATURE, Optional.of(TestKeys.ALICE.address())));
    assertThat(bobs.devices()).doesNotContain(TestKeys.ALICE.address());
  }

  @Test
  void leavesThatDoNotHashToTheSignedRootAreRejected() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 5);
    Checkpoint cp = alice.commit(2);
    List<byte[]> others =
        List.of(
            CallRecordCodec.encode(new CallRecords(TestKeys.ALICE.address(), 99).next()),
            alice.log.leaves(1, 2).get(0));
    Verdict v = bob.validate(ReplicationCodec.encodeCommit(new CommitMessage(cp, 0, others, null)));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(v.refusal().map(Verdict.Refusal::reason)).contains(RejectionReason.INCONSISTENT);
    assertThat(bobs.devices()).doesNotContain(TestKeys.ALICE.address());
  }

  @Test
  void anEquivocatingCheckpointIsRejectedAndItsEvidenceKept() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 6);
    Producer fork = new Producer(TestKeys.ALICE, 7); // the same key signing another history
    Checkpoint honest = alice.commit(3);
    bob.validate(alice.message(0, honest));
    Checkpoint split = fork.commit(3);
    Verdict v = bob.validate(fork.message(0, split));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(v.refusal().map(Verdict.Refusal::reason)).contains(RejectionReason.EQUIVOCATION);
    assertThat(v.evidence()).hasValueSatisfying(e -> assertThat(e.proves()).isTrue());
    assertThat(bobs.equivocations()).hasSize(1);
    assertThat(bobs.log(TestKeys.ALICE.address()).orElseThrow().latestCheckpoint())
        .contains(honest);
  }

  @Test
  void aCommitBeyondTheHeldLeavesAsksForSyncAndIsIgnored() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 8);
    alice.commit(3); // never seen by Bob
    Checkpoint cp = alice.commit(2);
    Verdict v = bob.validate(alice.message(3, cp));
    assertThat(v.result()).isEqualTo(ValidationResult.IGNORE);
    assertThat(v.gap()).contains(new Verdict.Gap(TestKeys.ALICE.address(), 0, 5));
    assertThat(bobs.devices()).doesNotContain(TestKeys.ALICE.address());
  }

  @Test
  void malformedBytesAndCommitsOfTheOwnLogAreNotStored() throws Exception {
    Verdict garbage = bob.validate(new byte[] {1, 2, 3});
    assertThat(garbage.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(garbage.refusal())
        .contains(new Verdict.Refusal(RejectionReason.MALFORMED, Optional.empty()));
    Producer self = new Producer(TestKeys.BOB, 9);
    assertThat(bob.validate(self.message(0, self.commit(1))).result())
        .isEqualTo(ValidationResult.IGNORE);
    assertThat(held(TestKeys.BOB)).isZero();
  }

  @Test
  void aCommitOfTheOwnLogSignedByAnotherKeyIsRejected() throws Exception {
    Producer self = new Producer(TestKeys.BOB, 13);
    Checkpoint real = self.commit(2);
    Checkpoint forged =
        new Checkpoint(
            real.device(),
            real.treeSize(),
            real.rootHash(),
            real.timestampMillis(),
            TestKeys.MALLORY.sign(SigningDomain.CHECKPOINT, real.signedBody()));
    Verdict v = bob.validate(self.message(0, forged));
    assertThat(v.result()).isEqualTo(ValidationResult.REJECT);
    assertThat(v.refusal())
        .contains(
            new Verdict.Refusal(
                RejectionReason.BAD_SIGNATURE, Optional.of(TestKeys.BOB.address())));
    assertThat(held(TestKeys.BOB)).isZero();
  }

  @Test
  void coSignaturesAreStoredForHeldCheckpointsAndKeptUntilTheReplicaReachesThem() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 10);
    Checkpoint first = alice.commit(2);
    bob.validate(alice.message(0, first));
    WitnessSignature carol = WitnessSignature.sign(TestKeys.CAROL, first, 5);
    byte[] witness = ReplicationCodec.encodeWitness(new WitnessMessage(first, carol));
    Verdict v = bob.validate(witness);
    assertThat(v.result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(v.storedSignature()).contains(carol);
    assertThat(bobs.witnessSignatures(TestKeys.ALICE.address(), 2)).containsExactly(carol);
    assertThat(bob.validate(witness).result()).isEqualTo(ValidationResult.IGNORE);

    WitnessSignature mallory = WitnessSignature.sign(TestKeys.MALLORY, first, 5);
    assertThat(bob.validate(ReplicationCodec.encodeWitness(new WitnessMessage(first, mallory))))
        .extracting(Verdict::result, v2 -> v2.refusal().map(Verdict.Refusal::reason))
        .containsExactly(ValidationResult.REJECT, Optional.of(RejectionReason.NOT_REGISTERED));
    WitnessSignature misattributed =
        new WitnessSignature(TestKeys.CAROL.address(), 6, carol.signature());
    assertThat(
            bob.validate(ReplicationCodec.encodeWitness(new WitnessMessage(first, misattributed))))
        .extracting(Verdict::result, v2 -> v2.refusal().map(Verdict.Refusal::reason))
        .containsExactly(ValidationResult.REJECT, Optional.of(RejectionReason.BAD_WITNESS));

    Checkpoint second = alice.commit(1);
    WitnessSignature early = WitnessSignature.sign(TestKeys.CAROL, second, 7);
    Verdict ahead = bob.validate(ReplicationCodec.encodeWitness(new WitnessMessage(second, early)));
    assertThat(ahead.result()).isEqualTo(ValidationResult.ACCEPT);
    assertThat(ahead.gap()).contains(new Verdict.Gap(TestKeys.ALICE.address(), 2, 3));
    assertThat(bobs.witnessSignatures(TestKeys.ALICE.address(), 3)).isEmpty();
    bob.validate(alice.message(2, second));
    assertThat(bob.releasePending(TestKeys.ALICE.address()))
        .extracting(Verdict::result)
        .containsExactly(ValidationResult.ACCEPT);
    assertThat(bobs.witnessSignatures(TestKeys.ALICE.address(), 3)).containsExactly(early);
  }

  @Test
  void aCoSignatureOfAnotherTreeThanTheHeldOneProvesEquivocation() throws Exception {
    Producer alice = new Producer(TestKeys.ALICE, 11);
    Producer fork = new Producer(TestKeys.ALICE, 12);
    bob.validate(alice.message(0, alice.commit(2)));
    Checkpoint split = fork.commit(2);
    Verdict v =
        bob.validate(
            ReplicationCodec.encodeWitness(
                new WitnessMessage(split, WitnessSignature.sign(TestKeys.CAROL, split, 1))));
    assertThat(v.evidence()).isPresent();
    assertThat(bobs.equivocations()).hasSize(1);
    assertThat(bobs.witnessSignatures(TestKeys.ALICE.address(), 2)).isEmpty();
  }
}
