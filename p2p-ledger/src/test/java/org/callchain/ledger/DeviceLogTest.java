package org.callchain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.MerkleReference;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;

class DeviceLogTest {
  private final Ledger ledger;
  private final DeviceLog log;

  DeviceLogTest() throws Exception {
    ledger =
        Ledgers.open(
            Ledgers.inMemoryStore(), Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC));
    log = ledger.ownLog(TestKeys.ALICE);
  }

  @Test
  void eachCommitEndsInASignedCheckpointOverTheRfcRoot() {
    CallRecords gen = new CallRecords(TestKeys.ALICE.address(), 3);
    List<Hash256> hashes = new ArrayList<>();
    for (int batch = 1; batch <= 5; batch++) {
      for (int i = 0; i < batch * 7; i++) {
        CallRecord r = gen.next();
        assertThat(log.append(r)).isEqualTo(hashes.size());
        hashes.add(CallRecordCodec.leafHash(r));
      }
      assertThat(log.pending()).isEqualTo(batch * 7);
      Checkpoint cp = log.commit();
      assertThat(log.pending()).isZero();
      assertThat(cp.treeSize()).isEqualTo(hashes.size());
      assertThat(cp.rootHash()).isEqualTo(MerkleReference.mth(hashes));
      assertThat(cp.signatureValid()).isTrue();
      assertThat(cp.device()).isEqualTo(TestKeys.ALICE.address());
      assertThat(cp.timestampMillis()).isEqualTo(5000);
    }
    long n = log.size();
    Hash256 root = log.root(n);
    for (long i = 0; i < n; i++) {
      assertThat(log.inclusionProof(i, n).verifiesLeafHash(hashes.get((int) i), root)).isTrue();
    }
    for (Checkpoint a : log.checkpoints(0, n + 1)) {
      for (Checkpoint b : log.checkpoints(a.treeSize(), n + 1)) {
        assertThat(log.consistencyProof(a.treeSize(), b.treeSize()).verifies(a, b)).isTrue();
      }
    }
  }

  @Test
  void committingNothingSignsTheEmptyTreeOnceAndThenRepeatsTheLatest() {
    Checkpoint empty = log.commit();
    assertThat(empty.treeSize()).isZero();
    assertThat(empty.rootHash()).isEqualTo(MerkleHashing.EMPTY_ROOT);
    assertThat(log.commit()).isEqualTo(empty);
  }

  @Test
  void recordsOfAnotherDeviceAreRefused() {
    CallRecord bobs = new CallRecords(TestKeys.BOB.address(), 1).next();
    assertThatThrownBy(() -> log.append(bobs)).hasMessageContaining("cannot go into the log");
    assertThat(log.pending()).isZero();
  }

  @Test
  void pendingRecordsAreNotVisibleUntilCommitted() {
    log.append(new CallRecords(TestKeys.ALICE.address(), 1).next());
    assertThat(log.size()).isZero();
    assertThatThrownBy(() -> log.inclusionProof(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStoreClaimedByOneKeyRefusesAnother() {
    assertThatThrownBy(() -> ledger.ownLog(TestKeys.BOB)).isInstanceOf(LedgerException.class);
  }

  @Test
  void callsAreFoundByTheirId() throws Exception {
    CallRecord r = new CallRecords(TestKeys.ALICE.address(), 9).next();
    log.append(new CallRecords(TestKeys.ALICE.address(), 8).next());
    log.append(r);
    log.commit();
    assertThat(ledger.locate(r.callId()))
        .containsExactly(new LeafLocation(TestKeys.ALICE.address(), 1));
    assertThat(log.record(1)).isEqualTo(r);
  }
}
