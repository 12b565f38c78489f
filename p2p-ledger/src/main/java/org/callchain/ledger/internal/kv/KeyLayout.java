package org.callchain.ledger.internal.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallId;
import org.callchain.ledger.Hash256;

/**
 * The ledger's keys in a sorted key-value store (docs/ledger.md, "Storage layout"). Every key
 * starts with a one-byte kind, then the 20-byte device address, then big-endian numbers, so a
 * device's leaves, nodes and checkpoints each sort by index and can be range-scanned.
 *
 * <pre>
 *   01 "own-device"                       -> 20-byte address of the store's own device
 *   02 device                             -> u64 committed tree size (the log head)
 *   03 device u64 index                   -> leaf bytes (canonical CallRecord)
 *   04 device u8 level u64 index          -> 32-byte complete-subtree hash
 *   05 device u64 treeSize                -> canonical SignedCheckpoint
 *   06 callId(32) device                  -> u64 leaf index
 *   07 device u64 sequence                -> canonical Equivocation evidence
 *   08 device u64 treeSize witness        -> canonical WitnessCosignature
 * </pre>
 */
public final class KeyLayout {
  public static final byte META = 0x01;
  public static final byte HEAD = 0x02;
  public static final byte LEAF = 0x03;
  public static final byte NODE = 0x04;
  public static final byte CHECKPOINT = 0x05;
  public static final byte CALL_INDEX = 0x06;
  public static final byte EQUIVOCATION = 0x07;
  public static final byte WITNESS = 0x08;

  public static final byte[] OWN_DEVICE = meta("own-device");

  private KeyLayout() {}

  private static byte[] meta(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] k = new byte[1 + n.length];
    k[0] = META;
    System.arraycopy(n, 0, k, 1, n.length);
    return k;
  }

  public static byte[] head(DeviceAddress d) {
    return ByteBuffer.allocate(21).put(HEAD).put(d.toBytes()).array();
  }

  public static byte[] leaf(DeviceAddress d, long index) {
    return ByteBuffer.allocate(29).put(LEAF).put(d.toBytes()).putLong(index).array();
  }

  public static byte[] node(DeviceAddress d, int level, long index) {
    return ByteBuffer.allocate(30)
        .put(NODE)
        .put(d.toBytes())
        .put((byte) level)
        .putLong(index)
        .array();
  }

  public static byte[] checkpoint(DeviceAddress d, long size) {
    return ByteBuffer.allocate(29).put(CHECKPOINT).put(d.toBytes()).putLong(size).array();
  }

  public static byte[] callIndex(CallId id, DeviceAddress d) {
    return ByteBuffer.allocate(53)
        .put(CALL_INDEX)
        .put(id.hash().toBytes())
        .put(d.toBytes())
        .array();
  }

  public static byte[] equivocation(DeviceAddress d, long seq) {
    return ByteBuffer.allocate(29).put(EQUIVOCATION).put(d.toBytes()).putLong(seq).array();
  }

  public static byte[] witness(DeviceAddress d, long treeSize, DeviceAddress witness) {
    return ByteBuffer.allocate(49)
        .put(WITNESS)
        .put(d.toBytes())
        .putLong(treeSize)
        .put(witness.toBytes())
        .array();
  }

  /** The prefix of every witness key of one checkpoint. */
  public static byte[] witnessPrefix(DeviceAddress d, long treeSize) {
    return ByteBuffer.allocate(29).put(WITNESS).put(d.toBytes()).putLong(treeSize).array();
  }

  /** The prefix shared by all keys of {@code kind} for {@code device}. */
  public static byte[] prefix(byte kind, DeviceAddress d) {
    return ByteBuffer.allocate(21).put(kind).put(d.toBytes()).array();
  }

  public static byte[] prefix(byte kind, CallId id) {
    return ByteBuffer.allocate(33).put(kind).put(id.hash().toBytes()).array();
  }

  public static byte[] u64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  public static long readU64(byte[] b) {
    if (b.length != 8) {
      throw new IllegalArgumentException("expected an 8-byte number, got " + b.length + " bytes");
    }
    return ByteBuffer.wrap(b).getLong();
  }

  /** A key taken apart; {@code kind} is the first byte, fields not in that kind are -1/null. */
  public record ParsedKey(
      byte kind,
      DeviceAddress device,
      int level,
      long index,
      CallId callId,
      boolean wellFormed,
      DeviceAddress witness) {
    ParsedKey(
        byte kind, DeviceAddress device, int level, long index, CallId callId, boolean wellFormed) {
      this(kind, device, level, index, callId, wellFormed, null);
    }
  }

  /** Parses any stored key, marking keys that fit no kind's layout as not well formed. */
  public static ParsedKey parse(byte[] key) {
    if (key.length == 0) {
      return new ParsedKey((byte) 0, null, -1, -1, null, false);
    }
    byte kind = key[0];
    ByteBuffer b = ByteBuffer.wrap(key, 1, key.length - 1);
    switch (kind) {
      case META:
        return new ParsedKey(kind, null, -1, -1, null, Arrays.equals(key, OWN_DEVICE));
      case HEAD:
        if (key.length == 21) {
          return new ParsedKey(kind, device(b), -1, -1, null, true);
        }
        break;
      case LEAF:
      case CHECKPOINT:
      case EQUIVOCATION:
        if (key.length == 29) {
          return new ParsedKey(kind, device(b), -1, b.getLong(), null, true);
        }
        break;
      case WITNESS:
        if (key.length == 49) {
          DeviceAddress d = device(b);
          long size = b.getLong();
          return new ParsedKey(kind, d, -1, size, null, true, device(b));
        }
        break;
      case NODE:
        if (key.length == 30) {
          DeviceAddress d = device(b);
          int level = b.get() & 0xff;
          return new ParsedKey(kind, d, level, b.getLong(), null, true);
        }
        break;
      case CALL_INDEX:
        if (key.length == 53) {
          byte[] id = new byte[32];
          b.get(id);
          return new ParsedKey(kind, device(b), -1, -1, new CallId(Hash256.wrap(id)), true);
        }
        break;
      default:
        break;
    }
    return new ParsedKey(kind, null, -1, -1, null, false);
  }

  private static DeviceAddress device(ByteBuffer b) {
    byte[] d = new byte[20];
    b.get(d);
    return DeviceAddress.of(d);
  }
}
