package org.callchain.ledger.internal.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.callchain.ledger.CorruptStoreException;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.testing.AbstractLedgerStoreContractTest;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbLedgerStoreTest extends AbstractLedgerStoreContractTest {
  @TempDir Path dir;

  @Override
  protected LedgerStore newStore() throws Exception {
    return RocksDbLedgerStore.open(dir.resolve("ledger"));
  }

  @Test
  void aReopenedStoreHasEveryCommitAndOpensCleanly() throws Exception {
    commitRecords(store, TestKeys.ALICE, 4, 3);
    store.close();
    store = RocksDbLedgerStore.open(dir.resolve("ledger"));
    try (Ledger ledger = Ledgers.open(store, Clock.systemUTC())) {
      assertThat(ledger.log(TestKeys.ALICE.address()).get().size()).isEqualTo(12);
      assertThat(ledger.log(TestKeys.ALICE.address()).get().latestCheckpoint())
          .get()
          .matches(c -> c.treeSize() == 12 && c.signatureValid());
    }
    store = null;
  }

  @Test
  void aDirectoryOfGarbageIsACorruptStoreAndIsLeftAlone() throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("CURRENT"), "MANIFEST-000099\n");
    byte[] before = Files.readAllBytes(bad.resolve("CURRENT"));
    assertThatThrownBy(() -> RocksDbLedgerStore.open(bad))
        .isInstanceOf(CorruptStoreException.class)
        .hasMessageContaining("cannot be opened");
    assertThat(Files.readAllBytes(bad.resolve("CURRENT"))).isEqualTo(before);
  }
}
