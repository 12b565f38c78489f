package org.callchain.chain.internal.rocksdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.RootHash;
import org.callchain.chain.internal.anchor.AnchorEntry;
import org.callchain.chain.internal.anchor.AnchorQueueStore;
import org.callchain.ledger.internal.rocksdb.RocksNativeLibrary;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The anchor queue in its own small RocksDB ({@code <data dir>/anchor-queue}), apart from the
 * ledger's store so the two evolve independently. Every {@link Batch} is one RocksDB {@link
 * WriteBatch} written with {@code sync=true}: atomic, and on disk before {@link #apply} returns.
 *
 * <p>Keys: {@code 'p' + seq} (8 bytes, big-endian, so iteration is queue order) for pending
 * entries, {@code 'c' + seq} for confirmed anchors, {@code 'm' + name} for counters. Values are a
 * version byte followed by fixed fields (see {@link #encode(AnchorEntry)}).
 */
public final class RocksAnchorQueue implements AnchorQueueStore {
  private static final byte PENDING = 'p';
  private static final byte CONFIRMED = 'c';
  private static final byte COUNTER = 'm';
  private static final byte VERSION = 1;

  /** Entries since fee bumping: version 1 plus the signing time and the replaced hashes. */
  private static final byte ENTRY_VERSION = 2;

  static {
    RocksNativeLibrary.load();
  }

  private final RocksDB db;
  private final Options options;

  private RocksAnchorQueue(RocksDB db, Options options) {
    this.db = db;
    this.options = options;
  }

  public static RocksAnchorQueue open(Path dir) throws ChainException {
    // A few checkpoints and transactions: RocksDB's defaults (two 64 MiB memtables, a 32 MiB block
    // cache) would let this queue hold more native memory than a node's budget (docs/node.md).
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setWriteBufferSize(1L << 20)
            .setMaxWriteBufferNumber(2)
            .setTableFormatConfig(new BlockBasedTableConfig().setNoBlockCache(true));
    try {
      Files.createDirectories(dir);
      return new RocksAnchorQueue(RocksDB.open(options, dir.toString()), options);
    } catch (IOException | RocksDBException e) {
      options.close();
      throw new ChainException(
          Reason.STORAGE, "cannot open the anchor queue " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens for reading only: works while a running node holds the queue open. */
  public static RocksAnchorQueue openReadOnly(Path dir) throws ChainException {
    if (!Files.isDirectory(dir)) {
      throw new ChainException(Reason.STORAGE, "no anchor queue at " + dir);
    }
    Options options = new Options();
    try {
      return new RocksAnchorQueue(RocksDB.openReadOnly(options, dir.toString()), options);
    } catch (RocksDBException e) {
      options.close();
      throw new ChainException(
          Reason.STORAGE, "cannot read the anchor queue " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<AnchorEntry> pending() throws ChainException {
    List<AnchorEntry> out = new ArrayList<>();
    for (byte[] v : scan(PENDING)) {
      out.add(decodeEntry(v));
    }
    return out;
  }

  @Override
  public List<ConfirmedAnchor> confirmed() throws ChainException {
    List<ConfirmedAnchor> out = new ArrayList<>();
    for (byte[] v : scan(CONFIRMED)) {
      out.add(decodeConfirmed(v));
    }
    return out;
  }

  @Override
  public OptionalLong counter(String name) throws ChainException {
    try {
      byte[] v = db.get(counterKey(name));
      return v == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(v).getLong());
    } catch (RocksDBException e) {
      throw storage(e);
    }
  }

  @Override
  public void apply(Batch batch) throws ChainException {
    try (WriteBatch wb = new WriteBatch();
        WriteOptions sync = new WriteOptions().setSync(true)) {
      for (Long seq : batch.removals()) {
        wb.delete(key(PENDING, seq));
      }
      for (AnchorEntry e : batch.puts().values()) {
        wb.put(key(PENDING, e.seq()), encode(e));
      }
      for (Map.Entry<Long, ConfirmedAnchor> c : batch.confirmations()) {
        wb.put(key(CONFIRMED, c.getKey()), encode(c.getValue()));
      }
      for (Map.Entry<String, Long> c : batch.counters().entrySet()) {
        wb.put(counterKey(c.getKey()), ByteBuffer.allocate(8).putLong(c.getValue()).array());
      }
      db.write(sync, wb);
    } catch (RocksDBException e) {
      throw storage(e);
    }
  }

  @Override
  public void close() {
    db.close();
    options.close();
  }

  private List<byte[]> scan(byte prefix) {
    List<byte[]> values = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {prefix}); it.isValid() && it.key()[0] == prefix; it.next()) {
        values.add(it.value());
      }
    }
    return values;
  }

  private static byte[] key(byte prefix, long seq) {
    return ByteBuffer.allocate(9).put(prefix).putLong(seq).array();
  }

  private static byte[] counterKey(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] k = new byte[n.length + 1];
    k[0] = COUNTER;
    System.arraycopy(n, 0, k, 1, n.length);
    return k;
  }

  static byte[] encode(AnchorEntry e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(ENTRY_VERSION);
      out.writeLong(e.seq());
      writeCheckpoint(out, e.checkpoint());
      out.writeLong(e.queuedAt().toEpochMilli());
      out.writeByte(e.state().ordinal());
      out.writeLong(e.nonce());
      writeOptional(out, e.signedTransaction());
      writeOptional(out, e.transactionHash());
      out.writeLong(e.lastBroadcast().toEpochMilli());
      out.writeLong(e.minedBlock());
      writeOptional(out, e.minedBlockHash());
      out.writeInt(e.attempts());
      writeOptional(out, e.lastError());
      out.writeLong(e.signedAt().toEpochMilli());
      out.writeInt(e.replacedHashes().size());
      for (String h : e.replacedHashes()) {
        out.writeUTF(h);
      }
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return bytes.toByteArray();
  }

  static AnchorEntry decodeEntry(byte[] v) throws ChainException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(v))) {
      byte version = in.readByte();
      if (version != VERSION && version != ENTRY_VERSION) {
        throw new IOException("unknown record version " + version);
      }
      long seq = in.readLong();
      AnchorCheckpoint checkpoint = readCheckpoint(in);
      Instant queuedAt = Instant.ofEpochMilli(in.readLong());
      AnchorEntry.State state = AnchorEntry.State.values()[in.readByte()];
      long nonce = in.readLong();
      Optional<String> signed = readOptional(in);
      Optional<String> hash = readOptional(in);
      Instant lastBroadcast = Instant.ofEpochMilli(in.readLong());
      long minedBlock = in.readLong();
      Optional<String> minedBlockHash = readOptional(in);
      int attempts = in.readInt();
      Optional<String> lastError = readOptional(in);
      // Version 1 entries predate fee bumping: signed when last broadcast, nothing replaced.
      Instant signedAt = lastBroadcast;
      List<String> replaced = new ArrayList<>();
      if (version == ENTRY_VERSION) {
        signedAt = Instant.ofEpochMilli(in.readLong());
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
          replaced.add(in.readUTF());
        }
      }
      return new AnchorEntry(
          seq,
          checkpoint,
          queuedAt,
          state,
          nonce,
          signed,
          hash,
          lastBroadcast,
          minedBlock,
          minedBlockHash,
          attempts,
          lastError,
          signedAt,
          replaced);
    } catch (IOException | RuntimeException e) {
      throw new ChainException(Reason.STORAGE, "corrupt anchor queue entry: " + e, e);
    }
  }

  static byte[] encode(ConfirmedAnchor a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writeCheckpoint(out, a.checkpoint());
      out.writeUTF(a.transactionHash());
      out.writeLong(a.blockNumber());
      out.writeUTF(a.blockHash());
      out.writeLong(a.nonce());
      out.writeLong(a.queuedAt().toEpochMilli());
      out.writeLong(a.confirmedAt().toEpochMilli());
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return bytes.toByteArray();
  }

  static ConfirmedAnchor decodeConfirmed(byte[] v) throws ChainException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(v))) {
      requireVersion(in);
      return new ConfirmedAnchor(
          readCheckpoint(in),
          in.readUTF(),
          in.readLong(),
          in.readUTF(),
          in.readLong(),
          Instant.ofEpochMilli(in.readLong()),
          Instant.ofEpochMilli(in.readLong()));
    } catch (IOException | RuntimeException e) {
      throw new ChainException(Reason.STORAGE, "corrupt confirmed anchor: " + e, e);
    }
  }

  private static void requireVersion(DataInputStream in) throws IOException {
    byte version = in.readByte();
    if (version != VERSION) {
      throw new IOException("unknown record version " + version);
    }
  }

  private static void writeCheckpoint(DataOutputStream out, AnchorCheckpoint c) throws IOException {
    out.writeLong(c.treeSize());
    out.write(c.root().bytes());
  }

  private static AnchorCheckpoint readCheckpoint(DataInputStream in) throws IOException {
    long size = in.readLong();
    byte[] root = new byte[32];
    in.readFully(root);
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  private static void writeOptional(DataOutputStream out, Optional<String> value)
      throws IOException {
    out.writeBoolean(value.isPresent());
    if (value.isPresent()) {
      byte[] b = value.get().getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static Optional<String> readOptional(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return Optional.empty();
    }
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return Optional.of(new String(b, StandardCharsets.UTF_8));
  }

  private static ChainException storage(RocksDBException e) {
    return new ChainException(Reason.STORAGE, "anchor queue write failed: " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "RocksAnchorQueue" + Arrays.toString(new Object[] {db.getName()});
  }
}
