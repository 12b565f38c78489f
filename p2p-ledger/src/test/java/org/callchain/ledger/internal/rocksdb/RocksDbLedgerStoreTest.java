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
import org.rocksdb.CompressionType;

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

  @Test
  void compressesOnlyTheLastLevelWithLz4() {
    try (org.rocksdb.LRUCache cache = new org.rocksdb.LRUCache(1 << 20);
        org.rocksdb.Options options = RocksDbLedgerStore.options(cache)) {
      assertThat(options.compressionType()).isEqualTo(CompressionType.NO_COMPRESSION);
      assertThat(options.bottommostCompressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
    }
  }

  @Test
  void opensAndReadsAStoreWhoseTablesWereWrittenWithSnappy() throws Exception {
    // A ledger written before ADR 0099 (RocksDB's default, Snappy on every level), must read back
    // the same under the new options.
    commitRecords(store, TestKeys.ALICE, 5, 4);
    store.close();
    store = null;
    Path ledger = dir.resolve("ledger");
    try (org.rocksdb.Options snappy =
            new org.rocksdb.Options().setCompressionType(CompressionType.SNAPPY_COMPRESSION);
        org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(snappy, ledger.toString())) {
      db.compactRange(); // rewrites every table (and the replayed log) with Snappy
    }
    store = RocksDbLedgerStore.open(ledger);
    try (Ledger reopened = Ledgers.open(store, Clock.systemUTC())) {
      assertThat(reopened.log(TestKeys.ALICE.address()).get().size()).isEqualTo(20);
      assertThat(reopened.log(TestKeys.ALICE.address()).get().latestCheckpoint())
          .get()
          .matches(c -> c.treeSize() == 20 && c.signatureValid());
    }
    store = null;
  }
}
