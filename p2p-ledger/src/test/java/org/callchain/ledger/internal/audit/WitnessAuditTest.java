package org.callchain.ledger.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.internal.kv.KeyLayout;
import org.callchain.ledger.internal.memory.InMemoryLedgerStore;
import org.callchain.ledger.testing.CallRecords;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;

/** The audit verifies stored witness co-signatures and names the checkpoint of a bad one. */
class WitnessAuditTest {
  @Test
  void aValidCoSignatureAuditsCleanAndAnAlteredOneIsLocated() throws Exception {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    Ledger ledger = Ledgers.open(store, Clock.systemUTC());
    DeviceLog log = ledger.ownLog(TestKeys.ALICE);
    CallRecords records = new CallRecords(TestKeys.ALICE.address(), 1);
    log.append(records.next());
    log.append(records.next());
    Checkpoint cp = log.commit();
    ledger.addWitnessSignature(cp, WitnessSignature.sign(TestKeys.BOB, cp, 5));
    assertThat(LedgerAudit.run(store, null).problems()).isEmpty();

    byte[] key = KeyLayout.witness(TestKeys.ALICE.address(), 2, TestKeys.BOB.address());
    Map<byte[], byte[]> raw = store.image();
    byte[] value = raw.get(key).clone();
    value[value.length - 10] ^= 0x01; // inside the signature
    raw.put(key, value);
    assertThat(LedgerAudit.run(store, null).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.where()).isEqualTo(AuditProblem.Where.CHECKPOINT);
              assertThat(p.position()).isEqualTo(2);
              assertThat(p.detail()).contains("witness " + TestKeys.BOB.address());
            });
  }
}
