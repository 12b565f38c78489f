package org.callchain.ledger.internal.rocksdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.callchain.ledger.CorruptStoreException;
import org.callchain.ledger.LedgerStorageException;
import org.callchain.ledger.internal.kv.KeyValueBackend;
import org.callchain.ledger.internal.kv.KeyValueLedgerStore;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The ledger store in RocksDB. Each commit is one {@link WriteBatch} written with {@code
 * sync=true}: RocksDB appends it to its write-ahead log and fsyncs before returning, so an
 * acknowledged commit survives a kill or power loss, and on reopen RocksDB replays the log up to
 * the last complete batch (point-in-time recovery). Paranoid checks make RocksDB refuse to open
 * files whose checksums fail instead of serving damaged data.
 */
public final class RocksDbLedgerStore extends KeyValueLedgerStore {
  /** Blocks of tree nodes and records, shared by proofs and reads (native memory). */
  private static final long BLOCK_CACHE_BYTES = 8L << 20;

  /** One memtable's size before a flush; at most two are held. */
  private static final long WRITE_BUFFER_BYTES = 4L << 20;

  static {
    RocksNativeLibrary.load();
  }

  private RocksDbLedgerStore(KeyValueBackend backend) {
    super(backend, true);
  }

  /**
   * Opens (creating if absent) the store in {@code directory}.
   *
   * @throws CorruptStoreException if RocksDB cannot open it (damaged files, not a RocksDB dir)
   */
  public static RocksDbLedgerStore open(Path directory) throws CorruptStoreException {
    try {
      Files.createDirectories(directory);
    } catch (java.io.IOException e) {
      throw new CorruptStoreException("cannot create ledger directory " + directory, e);
    }
    LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
    Options options = options(cache);
    try {
      RocksDB db = RocksDB.open(options, directory.toString());
      return new RocksDbLedgerStore(new Backend(db, options, cache));
    } catch (RocksDBException e) {
      options.close();
      cache.close();
      throw new CorruptStoreException(
          "ledger store " + directory + " cannot be opened: " + oneLine(e), e);
    }
  }

  /**
   * The store's options. Proofs are random point reads of tree nodes: a block cache and bloom
   * filters keep most of them off the disk (native memory, outside the small JVM heap of a headless
   * node). Memory is bounded for a node that runs for months (docs/node.md "Memory", ADR 0096):
   * RocksDB's defaults let each of two memtables grow to 64 MiB before a flush; records are small,
   * so 4 MiB memtables flush often enough; index and filter blocks are charged to the cache instead
   * of growing with the number of table files.
   *
   * <p>Compression only where data comes to rest (ADR 0099): flushes and the compactions above the
   * last level write their blocks uncompressed, the last level LZ4. Snappy on every level
   * (RocksDB's default) cost about 15 µs of background CPU per record at a commit batch of 100, a
   * third of what the store costs the process: tree nodes and call-id keys are SHA-256 hashes that
   * do not compress, and the records that do are rewritten by every compaction on the way down. The
   * last level holds nearly all the data, so the disk grows by under a tenth.
   */
  static Options options(LRUCache cache) {
    return new Options()
        .setCreateIfMissing(true)
        .setParanoidChecks(true)
        .setKeepLogFileNum(5)
        .setWriteBufferSize(WRITE_BUFFER_BYTES)
        .setMaxWriteBufferNumber(2)
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(
            new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setFilterPolicy(new BloomFilter(10)));
  }

  private static String oneLine(RocksDBException e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static final class Backend implements KeyValueBackend {
    private final RocksDB db;
    private final Options options;
    private final LRUCache cache;
    private final WriteOptions synced = new WriteOptions().setSync(true);
    private final WriteOptions unsynced = new WriteOptions();

    Backend(RocksDB db, Options options, LRUCache cache) {
      this.db = db;
      this.options = options;
      this.cache = cache;
    }

    @Override
    public byte[] get(byte[] key) {
      try {
        return db.get(key);
      } catch (RocksDBException e) {
        throw new LedgerStorageException("ledger store read failed: " + oneLine(e), e);
      }
    }

    @Override
    public List<Map.Entry<byte[], byte[]>> range(byte[] from, byte[] to, int limit) {
      List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
      try (Slice upper = new Slice(to);
          ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(ro)) {
        for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
          out.add(Map.entry(it.key(), it.value()));
        }
        it.status();
      } catch (RocksDBException e) {
        throw new LedgerStorageException("ledger store scan failed: " + oneLine(e), e);
      }
      return out;
    }

    @Override
    public void write(Map<byte[], byte[]> puts, boolean sync) {
      try (WriteBatch batch = new WriteBatch()) {
        for (Map.Entry<byte[], byte[]> e : puts.entrySet()) {
          batch.put(e.getKey(), e.getValue());
        }
        db.write(sync ? synced : unsynced, batch);
      } catch (RocksDBException e) {
        throw new LedgerStorageException("ledger store write failed: " + oneLine(e), e);
      }
    }

    @Override
    public void scan(BiConsumer<byte[], byte[]> visitor) {
      try (RocksIterator it = db.newIterator()) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          visitor.accept(it.key(), it.value());
        }
        it.status();
      } catch (RocksDBException e) {
        throw new LedgerStorageException("ledger store scan failed: " + oneLine(e), e);
      }
    }

    @Override
    public void close() {
      db.close();
      synced.close();
      unsynced.close();
      options.close();
      cache.close();
    }
  }
}
