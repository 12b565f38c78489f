package org.callchain.node.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.internal.rocksdb.RocksNativeLibrary;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * An attacker with write access to a stopped node's disk: flips a byte of a recording, or rewrites
 * a stored call record in the RocksDB files to a longer call (a well-formed record, so only the
 * signed Merkle tree gives it away). The demo and the tests then show that {@code callchain audit}
 * names both.
 */
public final class DiskAttacker {
  /** Leaf key prefix of the ledger's key/value layout (docs/ledger.md). */
  private static final byte LEAF = 0x03;

  private DiskAttacker() {}

  /** Flips one byte in the middle of {@code wav}. */
  public static void flipByte(Path wav) throws IOException {
    byte[] bytes = Files.readAllBytes(wav);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(wav, bytes);
  }

  /**
   * Rewrites leaf {@code index} of {@code device}'s log in the store at {@code ledgerDir} to a call
   * {@code extraMillis} longer; the store must not be open elsewhere. Returns the forged record.
   */
  public static CallRecord lengthenCall(Path ledgerDir, String device, long index, long extraMillis)
      throws RocksDBException {
    String hex = device.startsWith("0x") ? device.substring(2) : device;
    byte[] key =
        ByteBuffer.allocate(1 + 20 + 8)
            .put(LEAF)
            .put(HexFormat.of().parseHex(hex))
            .putLong(index)
            .array();
    RocksNativeLibrary.load();
    try (RocksDB db = RocksDB.open(ledgerDir.toString())) {
      byte[] value = db.get(key);
      if (value == null) {
        throw new IllegalStateException("no leaf " + index + " of " + device + " in " + ledgerDir);
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
}
