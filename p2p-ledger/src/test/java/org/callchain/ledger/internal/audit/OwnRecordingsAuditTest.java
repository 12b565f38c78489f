package org.callchain.ledger.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.ReplicaUpdate;
import org.callchain.ledger.internal.memory.InMemoryLedgerStore;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit --recordings DIR} checks the own device's recordings against DIR and leaves a
 * replica's to the device that holds them: both ends of a call record it under the same file name,
 * so a node's directory can hold a file of that name with other content.
 */
class OwnRecordingsAuditTest {
  @TempDir Path recordings;
  @TempDir Path elsewhere;

  @Test
  void replicaRecordingsAreNotLookedForInTheOwnDirectory() throws Exception {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    Ledger ledger = Ledgers.open(store, Clock.systemUTC());
    byte[] mine = {1, 2, 3, 4, 5};
    Files.write(recordings.resolve("call-1.wav"), mine);
    DeviceLog alice = ledger.ownLog(TestKeys.ALICE);
    alice.append(
        new CallRecords(TestKeys.ALICE.address(), 1)
            .next(CallRecords.recordingOf(mine, "call-1.wav")));
    alice.commit();
    DeviceLog bob = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC()).ownLog(TestKeys.BOB);
    byte[] bobs = {9, 9, 9};
    Files.write(elsewhere.resolve("call-1.wav"), bobs);
    bob.append(
        new CallRecords(TestKeys.BOB.address(), 2)
            .next(CallRecords.recordingOf(bobs, "call-1.wav")));
    Checkpoint cp = bob.commit();
    ledger.acceptReplica(new ReplicaUpdate(cp, 0, bob.leaves(0, 1), null));

    AuditReport clean = LedgerAudit.run(store, recordings);
    Files.write(recordings.resolve("call-1.wav"), bobs);
    AuditReport altered = LedgerAudit.run(store, recordings);

    assertThat(clean.problems()).isEmpty();
    assertThat(clean.coverage().recordings()).isEqualTo(1);
    assertThat(altered.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.device()).isEqualTo(TestKeys.ALICE.address()));
  }
}
