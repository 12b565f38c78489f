package org.callchain.ledger;

import java.nio.file.Path;
import java.time.Clock;
import org.callchain.ledger.internal.log.StoreLedger;
import org.callchain.ledger.internal.memory.InMemoryLedgerStore;
import org.callchain.ledger.internal.rocksdb.RocksDbLedgerStore;

/** Opens ledgers and stores; the only place callers name an implementation. */
public final class Ledgers {
  private Ledgers() {}

  /**
   * Opens a ledger over {@code store}, checking every log's head (crash recovery).
   *
   * @throws CorruptStoreException if the store contradicts itself; nothing is changed
   */
  public static Ledger open(LedgerStore store, Clock clock) throws CorruptStoreException {
    return StoreLedger.open(store, clock);
  }

  /** The durable RocksDB store in {@code directory} (created if absent). */
  public static LedgerStore rocksDbStore(Path directory) throws CorruptStoreException {
    return RocksDbLedgerStore.open(directory);
  }

  /** A fresh in-memory store with the same layout as the RocksDB store. */
  public static LedgerStore inMemoryStore() {
    return new InMemoryLedgerStore();
  }
}
