package org.callchain.ledger.internal.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallId;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.LeafLocation;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStorageException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.LogCommit;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.TreeNode;
import org.callchain.ledger.WitnessSignature;

/**
 * {@link LedgerStore} over any {@link KeyValueBackend}, in the layout of {@link KeyLayout}. A
 * commit is one batch: leaves, nodes, call-id index entries, the checkpoint and the new head, so a
 * crash leaves either all of it or none of it (RocksDB's write-ahead log makes the batch atomic;
 * the sync makes it durable).
 */
public abstract class KeyValueLedgerStore implements LedgerStore {
  private final KeyValueBackend kv;
  private final boolean syncCommits;

  protected KeyValueLedgerStore(KeyValueBackend kv, boolean syncCommits) {
    this.kv = kv;
    this.syncCommits = syncCommits;
  }

  @Override
  public Optional<DeviceAddress> ownDevice() {
    byte[] v = kv.get(KeyLayout.OWN_DEVICE);
    if (v == null) {
      return Optional.empty();
    }
    if (v.length != DeviceAddress.LENGTH) {
      throw new LedgerStorageException("own-device entry has " + v.length + " bytes, not 20");
    }
    return Optional.of(DeviceAddress.of(v));
  }

  @Override
  public synchronized void claimOwnDevice(DeviceAddress device) throws LedgerException {
    Optional<DeviceAddress> own = ownDevice();
    if (own.isPresent()) {
      if (!own.get().equals(device)) {
        throw new LedgerException(
            "this ledger belongs to device " + own.get() + ", not to key " + device);
      }
      return;
    }
    kv.write(Map.of(KeyLayout.OWN_DEVICE, device.toBytes()), true);
  }

  @Override
  public SortedSet<DeviceAddress> devices() {
    SortedSet<DeviceAddress> out = new TreeSet<>();
    for (Map.Entry<byte[], byte[]> e :
        kv.range(new byte[] {KeyLayout.HEAD}, new byte[] {KeyLayout.HEAD + 1}, Integer.MAX_VALUE)) {
      KeyLayout.ParsedKey k = KeyLayout.parse(e.getKey());
      if (k.wellFormed()) {
        out.add(k.device());
      }
    }
    return out;
  }

  @Override
  public long size(DeviceAddress device) {
    byte[] v = kv.get(KeyLayout.head(device));
    if (v == null) {
      return 0;
    }
    try {
      return KeyLayout.readU64(v);
    } catch (IllegalArgumentException e) {
      throw new LedgerStorageException("device " + device + ": head entry is malformed");
    }
  }

  @Override
  public Optional<byte[]> leaf(DeviceAddress device, long index) {
    return Optional.ofNullable(kv.get(KeyLayout.leaf(device, index)));
  }

  @Override
  public List<byte[]> leaves(DeviceAddress device, long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad leaf range [" + from + ", " + to + ")");
    }
    if (to == from) {
      return List.of();
    }
    List<Map.Entry<byte[], byte[]>> entries =
        kv.range(
            KeyLayout.leaf(device, from),
            KeyLayout.leaf(device, to),
            (int) Math.min(Integer.MAX_VALUE, to - from));
    List<byte[]> out = new ArrayList<>(entries.size());
    long expected = from;
    for (Map.Entry<byte[], byte[]> e : entries) {
      long index = KeyLayout.parse(e.getKey()).index();
      if (index != expected) {
        throw new LedgerStorageException("device " + device + ": leaf " + expected + " is missing");
      }
      out.add(e.getValue());
      expected++;
    }
    if (expected != to) {
      throw new LedgerStorageException("device " + device + ": leaf " + expected + " is missing");
    }
    return out;
  }

  @Override
  public Optional<Hash256> node(DeviceAddress device, int level, long index) {
    byte[] v = kv.get(KeyLayout.node(device, level, index));
    if (v == null) {
      return Optional.empty();
    }
    if (v.length != Hash256.LENGTH) {
      throw new LedgerStorageException(
          "device " + device + ": tree node " + level + "/" + index + " is not 32 bytes");
    }
    return Optional.of(Hash256.wrap(v));
  }

  @Override
  public Optional<Checkpoint> checkpoint(DeviceAddress device, long treeSize) {
    byte[] v = kv.get(KeyLayout.checkpoint(device, treeSize));
    return v == null ? Optional.empty() : Optional.of(decodeCheckpoint(device, treeSize, v));
  }

  @Override
  public List<Checkpoint> checkpoints(DeviceAddress device, long fromSize, long toSize) {
    List<Checkpoint> out = new ArrayList<>();
    if (toSize <= fromSize) {
      return out;
    }
    for (Map.Entry<byte[], byte[]> e :
        kv.range(
            KeyLayout.checkpoint(device, fromSize),
            KeyLayout.checkpoint(device, toSize),
            Integer.MAX_VALUE)) {
      out.add(decodeCheckpoint(device, KeyLayout.parse(e.getKey()).index(), e.getValue()));
    }
    return out;
  }

  private static Checkpoint decodeCheckpoint(DeviceAddress device, long size, byte[] v) {
    try {
      Checkpoint c = Checkpoint.decode(v);
      if (c.treeSize() != size || !c.device().equals(device)) {
        throw new LedgerStorageException(
            "device " + device + ": checkpoint stored at size " + size + " is for another tree");
      }
      return c;
    } catch (MalformedDataException e) {
      throw new LedgerStorageException(
          "device " + device + ": checkpoint at size " + size + " is malformed");
    }
  }

  @Override
  public List<LeafLocation> locate(CallId callId) {
    byte[] from = KeyLayout.prefix(KeyLayout.CALL_INDEX, callId);
    List<LeafLocation> out = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : kv.range(from, prefixEnd(from), Integer.MAX_VALUE)) {
      KeyLayout.ParsedKey k = KeyLayout.parse(e.getKey());
      if (k.wellFormed() && k.callId().equals(callId) && e.getValue().length == 8) {
        out.add(new LeafLocation(k.device(), KeyLayout.readU64(e.getValue())));
      }
    }
    return out;
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
  }

  @Override
  public synchronized void commit(LogCommit c) {
    DeviceAddress d = c.device();
    long size = size(d);
    if (c.firstIndex() != size) {
      throw new IllegalStateException(
          "device " + d + ": commit starts at leaf " + c.firstIndex() + " but the log has " + size);
    }
    if (kv.get(KeyLayout.checkpoint(d, c.checkpoint().treeSize())) != null) {
      throw new IllegalStateException(
          "device " + d + ": a checkpoint at size " + c.checkpoint().treeSize() + " exists");
    }
    Map<byte[], byte[]> puts = new LinkedHashMap<>();
    for (int i = 0; i < c.leaves().size(); i++) {
      long index = c.firstIndex() + i;
      puts.put(KeyLayout.leaf(d, index), c.leaves().get(i));
      puts.put(KeyLayout.callIndex(c.callIds().get(i), d), KeyLayout.u64(index));
    }
    for (TreeNode n : c.nodes()) {
      puts.put(KeyLayout.node(d, n.level(), n.index()), n.hash().toBytes());
    }
    puts.put(KeyLayout.checkpoint(d, c.checkpoint().treeSize()), c.checkpoint().encoded());
    puts.put(KeyLayout.head(d), KeyLayout.u64(c.checkpoint().treeSize()));
    kv.write(puts, syncCommits);
  }

  @Override
  public synchronized void addEquivocation(EquivocationEvidence evidence) {
    DeviceAddress d = evidence.device();
    List<Map.Entry<byte[], byte[]>> existing =
        kv.range(
            KeyLayout.equivocation(d, 0),
            KeyLayout.equivocation(d, Long.MAX_VALUE),
            Integer.MAX_VALUE);
    long seq =
        existing.isEmpty()
            ? 0
            : KeyLayout.parse(existing.get(existing.size() - 1).getKey()).index() + 1;
    kv.write(Map.of(KeyLayout.equivocation(d, seq), evidence.encoded()), syncCommits);
  }

  @Override
  public List<EquivocationEvidence> equivocations(DeviceAddress device) {
    List<EquivocationEvidence> out = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e :
        kv.range(
            KeyLayout.equivocation(device, 0),
            KeyLayout.equivocation(device, Long.MAX_VALUE),
            Integer.MAX_VALUE)) {
      try {
        out.add(EquivocationEvidence.decode(e.getValue()));
      } catch (MalformedDataException ex) {
        throw new LedgerStorageException("device " + device + ": stored evidence is malformed");
      }
    }
    return out;
  }

  @Override
  public synchronized boolean addWitnessSignature(
      DeviceAddress device, long treeSize, WitnessSignature witness) {
    if (kv.get(KeyLayout.checkpoint(device, treeSize)) == null) {
      throw new IllegalStateException(
          "device " + device + ": no checkpoint at size " + treeSize + " to co-sign");
    }
    byte[] key = KeyLayout.witness(device, treeSize, witness.witness());
    if (kv.get(key) != null) {
      return false;
    }
    // Not synced: a crash may lose the latest co-signatures, which peers hand back by sync; the
    // next synced commit makes them durable (one write-ahead log, written in order).
    kv.write(Map.of(key, witness.encoded()), false);
    return true;
  }

  @Override
  public List<WitnessSignature> witnessSignatures(DeviceAddress device, long treeSize) {
    byte[] from = KeyLayout.witnessPrefix(device, treeSize);
    List<WitnessSignature> out = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : kv.range(from, prefixEnd(from), Integer.MAX_VALUE)) {
      KeyLayout.ParsedKey k = KeyLayout.parse(e.getKey());
      WitnessSignature w;
      try {
        w = WitnessSignature.decode(e.getValue());
      } catch (MalformedDataException ex) {
        throw new LedgerStorageException(
            "device " + device + ": witness signature at size " + treeSize + " is malformed");
      }
      if (!k.wellFormed() || !w.witness().equals(k.witness())) {
        throw new LedgerStorageException(
            "device " + device + ": witness entry at size " + treeSize + " names another witness");
      }
      out.add(w);
    }
    return out;
  }

  @Override
  public void scanRaw(RawVisitor visitor) {
    kv.scan(visitor::visit);
  }

  @Override
  public void close() {
    kv.close();
  }
}
