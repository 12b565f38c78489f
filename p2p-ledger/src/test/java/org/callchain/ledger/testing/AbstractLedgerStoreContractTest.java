package org.callchain.ledger.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.LeafLocation;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.LogCommit;
import org.callchain.ledger.WitnessSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LedgerStore} must have (Besu-style contract test): append-only
 * commits, range reads, checkpoints by size, the call index, evidence, and the ownership claim.
 * Subclasses provide the store; the RocksDB one also checks that a reopened store keeps it all.
 */
public abstract class AbstractLedgerStoreContractTest {
  protected LedgerStore store;

  /** A fresh, empty store. */
  protected abstract LedgerStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected List<CallRecord> commitRecords(LedgerStore s, DeviceKey key, int batches, int perBatch)
      throws LedgerException {
    Ledger ledger = Ledgers.open(s, Clock.systemUTC());
    DeviceLog log = ledger.ownLog(key);
    CallRecords gen = new CallRecords(key.address(), 7);
    List<CallRecord> all = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < perBatch; i++) {
        CallRecord r = gen.next();
        log.append(r);
        all.add(r);
      }
      log.commit();
    }
    return all;
  }

  @Test
  void anEmptyStoreHasNoDevicesAndNoOwner() {
    assertThat(store.devices()).isEmpty();
    assertThat(store.ownDevice()).isEmpty();
    assertThat(store.size(TestKeys.ALICE.address())).isZero();
    assertThat(store.leaf(TestKeys.ALICE.address(), 0)).isEmpty();
  }

  @Test
  void commitsAreReadBackInOrderWithCheckpointsNodesAndIndex() throws Exception {
    List<CallRecord> records = commitRecords(store, TestKeys.ALICE, 3, 5);
    var alice = TestKeys.ALICE.address();
    assertThat(store.devices()).containsExactly(alice);
    assertThat(store.size(alice)).isEqualTo(15);
    List<byte[]> leaves = store.leaves(alice, 0, 15);
    for (int i = 0; i < records.size(); i++) {
      assertThat(leaves.get(i)).isEqualTo(CallRecordCodec.encode(records.get(i)));
      assertThat(store.locate(records.get(i).callId())).containsExactly(new LeafLocation(alice, i));
    }
    assertThat(store.checkpoints(alice, 0, 100))
        .extracting(Checkpoint::treeSize)
        .containsExactly(5L, 10L, 15L);
    assertThat(store.checkpoint(alice, 15)).get().matches(Checkpoint::signatureValid);
    assertThat(store.node(alice, 0, 14)).isPresent();
    assertThat(store.node(alice, 3, 0)).isPresent();
    assertThat(store.node(alice, 3, 1)).isEmpty();
  }

  @Test
  void aCommitThatDoesNotStartAtTheHeadIsRefusedAndChangesNothing() throws Exception {
    commitRecords(store, TestKeys.ALICE, 1, 4);
    var alice = TestKeys.ALICE.address();
    Checkpoint cp =
        Checkpoint.sign(TestKeys.ALICE, 3, store.checkpoint(alice, 4).get().rootHash(), 1);
    CallRecord r = new CallRecords(alice, 99).next();
    LogCommit overwrite =
        new LogCommit(
            alice, 2, List.of(CallRecordCodec.encode(r)), List.of(r.callId()), List.of(), cp);
    assertThatThrownBy(() -> store.commit(overwrite)).isInstanceOf(IllegalStateException.class);
    assertThat(store.size(alice)).isEqualTo(4);
    assertThat(store.checkpoint(alice, 3)).isEmpty();
  }

  @Test
  void readingAMissingRangeFails() throws Exception {
    commitRecords(store, TestKeys.ALICE, 1, 3);
    assertThatThrownBy(() -> store.leaves(TestKeys.ALICE.address(), 0, 5))
        .hasMessageContaining("leaf 3 is missing");
  }

  @Test
  void theStoreBelongsToOneDevice() throws Exception {
    store.claimOwnDevice(TestKeys.ALICE.address());
    store.claimOwnDevice(TestKeys.ALICE.address());
    assertThatThrownBy(() -> store.claimOwnDevice(TestKeys.BOB.address()))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("belongs to device " + TestKeys.ALICE.address());
    assertThat(store.ownDevice()).contains(TestKeys.ALICE.address());
  }

  @Test
  void evidenceIsKeptInOrderAndNeverReplaced() {
    var key = TestKeys.MALLORY;
    Checkpoint a = Checkpoint.sign(key, 1, org.callchain.ledger.Hash256.wrap(new byte[32]), 1);
    byte[] other = new byte[32];
    other[0] = 1;
    Checkpoint b = Checkpoint.sign(key, 1, org.callchain.ledger.Hash256.wrap(other), 2);
    store.addEquivocation(new EquivocationEvidence(a, b, List.of(), 10));
    store.addEquivocation(new EquivocationEvidence(b, a, List.of(), 11));
    assertThat(store.equivocations(key.address()))
        .extracting(EquivocationEvidence::detectedMillis)
        .containsExactly(10L, 11L);
    assertThat(store.equivocations(key.address())).allMatch(EquivocationEvidence::proves);
  }

  @Test
  void witnessSignaturesAreKeptPerCheckpointOncePerWitness() throws Exception {
    commitRecords(store, TestKeys.ALICE, 2, 3);
    var alice = TestKeys.ALICE.address();
    Checkpoint first = store.checkpoint(alice, 3).orElseThrow();
    WitnessSignature bob = WitnessSignature.sign(TestKeys.BOB, first, 100);
    WitnessSignature carol = WitnessSignature.sign(TestKeys.CAROL, first, 101);
    assertThat(store.addWitnessSignature(alice, 3, carol)).isTrue();
    assertThat(store.addWitnessSignature(alice, 3, bob)).isTrue();
    assertThat(store.addWitnessSignature(alice, 3, WitnessSignature.sign(TestKeys.BOB, first, 200)))
        .isFalse();
    // ordered by witness address; the first co-signature of a witness is kept
    List<WitnessSignature> stored = store.witnessSignatures(alice, 3);
    assertThat(stored).containsExactlyInAnyOrder(bob, carol);
    assertThat(stored)
        .extracting(WitnessSignature::witness)
        .isSorted()
        .allMatch(w -> !w.equals(alice));
    assertThat(stored).allMatch(w -> w.verifies(first));
    assertThat(store.witnessSignatures(alice, 6)).isEmpty();
    assertThatThrownBy(() -> store.addWitnessSignature(alice, 4, bob))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no checkpoint at size 4");
  }

  @Test
  void rawScanSeesEveryEntryInKeyOrder() throws Exception {
    commitRecords(store, TestKeys.ALICE, 2, 2);
    List<byte[]> keys = new ArrayList<>();
    store.scanRaw((k, v) -> keys.add(k));
    for (int i = 1; i < keys.size(); i++) {
      assertThat(java.util.Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).isNegative();
    }
    // 4 leaves, 4+2+1 nodes, 2 checkpoints, 4 index entries, 1 head, 1 owner.
    assertThat(keys).hasSize(4 + 7 + 2 + 4 + 1 + 1);
  }
}
