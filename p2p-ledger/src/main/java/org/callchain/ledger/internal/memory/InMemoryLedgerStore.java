package org.callchain.ledger.internal.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.callchain.ledger.internal.kv.KeyValueBackend;
import org.callchain.ledger.internal.kv.KeyValueLedgerStore;

/**
 * The ledger store in a sorted in-memory map, in exactly the key/value layout the RocksDB store
 * writes. Used by tests and by tools that verify a store image in memory; {@link #image()} exposes
 * the raw map so a tamper test can flip bytes the way an attacker with the disk would.
 */
public final class InMemoryLedgerStore extends KeyValueLedgerStore {
  private final MapBackend backend;

  public InMemoryLedgerStore() {
    this(new MapBackend(new TreeMap<>(Arrays::compareUnsigned)));
  }

  private InMemoryLedgerStore(MapBackend backend) {
    super(backend, false);
    this.backend = backend;
  }

  /** A store over a copy of {@code entries} (e.g. a RocksDB image read into memory). */
  public static InMemoryLedgerStore copyOf(Map<byte[], byte[]> entries) {
    InMemoryLedgerStore s = new InMemoryLedgerStore();
    entries.forEach((k, v) -> s.backend.map.put(k.clone(), v.clone()));
    return s;
  }

  /** The live raw map, in unsigned key order. Mutating it mutates the store. */
  public NavigableMap<byte[], byte[]> image() {
    return backend.map;
  }

  private static final class MapBackend implements KeyValueBackend {
    private final NavigableMap<byte[], byte[]> map;

    MapBackend(NavigableMap<byte[], byte[]> map) {
      this.map = map;
    }

    @Override
    public synchronized byte[] get(byte[] key) {
      byte[] v = map.get(key);
      return v == null ? null : v.clone();
    }

    @Override
    public synchronized List<Map.Entry<byte[], byte[]>> range(byte[] from, byte[] to, int limit) {
      List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
      for (Map.Entry<byte[], byte[]> e : map.subMap(from, true, to, false).entrySet()) {
        if (out.size() >= limit) {
          break;
        }
        out.add(Map.entry(e.getKey().clone(), e.getValue().clone()));
      }
      return out;
    }

    @Override
    public synchronized void write(Map<byte[], byte[]> puts, boolean sync) {
      puts.forEach((k, v) -> map.put(k.clone(), v.clone()));
    }

    @Override
    public synchronized void scan(BiConsumer<byte[], byte[]> visitor) {
      for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
        visitor.accept(e.getKey().clone(), e.getValue().clone());
      }
    }

    @Override
    public void close() {
      // Nothing to release; the map lives as long as the store object.
    }
  }
}
