package org.callchain.ledger.internal.kv;

import java.util.List;
import java.util.Map;

/**
 * A sorted byte-key store with atomic batches: what the ledger needs from RocksDB, and what an
 * in-memory map can also provide so both stores share one layout and one implementation.
 */
public interface KeyValueBackend extends AutoCloseable {
  byte[] get(byte[] key);

  /** Entries with keys in {@code [from, to)} in unsigned key order, at most {@code limit}. */
  List<Map.Entry<byte[], byte[]>> range(byte[] from, byte[] to, int limit);

  /** Applies all puts atomically; durable before returning when {@code sync}. */
  void write(Map<byte[], byte[]> puts, boolean sync);

  /** Visits every entry in key order. */
  void scan(java.util.function.BiConsumer<byte[], byte[]> visitor);

  @Override
  void close();
}
