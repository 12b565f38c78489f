package org.callchain.node.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreException;
import org.callchain.identity.KeystoreStrength;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.MalformedDataException;
import org.callchain.node.LedgerCallSink;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * One demo device's ledger: a throwaway key in a light keystore, a RocksDB store and a recordings
 * directory under the demo's temporary directory, and the sink that signs each finished call into
 * the log. It can also play the attacker with disk access, who rewrites a stored record in place;
 * the demo then shows that the audit catches it.
 */
final class DemoLedger implements AutoCloseable {
  private static final char[] PASSWORD = "demo-only".toCharArray();

  /** A committed record as the sink reported it. */
  record Committed(CallRecord record, long leaf, long treeSize, String root) {}

  final String name;
  final DeviceAddress address;
  final Path recordings;
  final LedgerCallSink sink;
  final List<Committed> committed = new CopyOnWriteArrayList<>();
  private final Path storeDir;
  private Ledger ledger;

  DemoLedger(String name, Path dir) throws IOException, KeystoreException, LedgerException {
    this.name = name;
    Path home = Files.createDirectories(dir.resolve(name));
    this.recordings = Files.createDirectories(home.resolve("recordings"));
    this.storeDir = home.resolve("ledger");
    DeviceKey key =
        DeviceKeystore.create(home.resolve("keystore.json"), PASSWORD, KeystoreStrength.LIGHT);
    this.address = key.address();
    LedgerStore store = Ledgers.rocksDbStore(storeDir);
    try {
      ledger = Ledgers.open(store, Clock.systemUTC());
      this.sink =
          new LedgerCallSink(
              ledger.ownLog(key),
              address,
              "demo",
              (record, leaf, checkpoint) ->
                  committed.add(
                      new Committed(
                          record, leaf, checkpoint.treeSize(), checkpoint.rootHash().toString())));
    } catch (LedgerException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  Ledger ledger() {
    return ledger;
  }

  /** The recording files of this device, by name. */
  List<Path> recordingFiles() throws IOException {
    try (Stream<Path> files = Files.list(recordings)) {
      return files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    }
  }

  /**
   * Rewrites leaf {@code index} in the RocksDB files as an attacker with the disk would: a
   * well-formed record whose call lasted {@code extraMillis} longer. Key layout: docs/ledger.md.
   */
  CallRecord forgeLongerCall(long index, long extraMillis) throws RocksDBException {
    closeLedger();
    byte[] key =
        ByteBuffer.allocate(1 + 20 + 8)
            .put((byte) 0x03)
            .put(address.toBytes())
            .putLong(index)
            .array();
    try (RocksDB db = RocksDB.open(storeDir.toString())) {
      byte[] value = db.get(key);
      if (value == null) {
        throw new IllegalStateException("no leaf " + index + " in " + storeDir);
      }
      CallRecord r = CallRecordCodec.decode(value);
      CallRecord forged =
          new CallRecord(
              r.callId(),
              r.caller(),
              r.callee(),
              r.direction(),
              r.callType(),
              r.startMillis(),
              r.answerMillis(),
              r.endMillis() + extraMillis,
              r.durationMillis() + extraMillis,
              r.disposition(),
              r.sipCode(),
              r.sipReason(),
              r.codec(),
              r.mediaEncrypted(),
              r.network(),
              r.quality(),
              r.site(),
              r.admission(),
              r.recording(),
              r.consent());
      db.put(key, CallRecordCodec.encode(forged));
      return forged;
    } catch (MalformedDataException e) {
      throw new IllegalStateException("leaf " + index + " did not decode: " + e.getMessage(), e);
    }
  }

  /** Re-verifies this device's store and recordings from scratch. */
  AuditReport audit() throws LedgerException {
    closeLedger();
    try (LedgerStore store = Ledgers.rocksDbStore(storeDir)) {
      return LedgerAudit.run(store, recordings);
    }
  }

  private void closeLedger() {
    if (ledger != null) {
      ledger.close();
      ledger = null;
    }
  }

  @Override
  public void close() {
    closeLedger();
  }
}
