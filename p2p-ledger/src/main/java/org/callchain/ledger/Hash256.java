package org.callchain.ledger;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 value: a Merkle tree hash, a root hash, a call id digest. Immutable. */
public final class Hash256 implements Comparable<Hash256> {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Hash256(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps 32 bytes (copied). */
  public static Hash256 of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 value has 32 bytes, got " + bytes.length);
    }
    return new Hash256(bytes.clone());
  }

  /** Wraps 32 bytes without copying; the caller gives up the array. */
  public static Hash256 wrap(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 value has 32 bytes, got " + bytes.length);
    }
    return new Hash256(bytes);
  }

  /** Parses 64 hex digits, with or without {@code 0x}. */
  public static Hash256 parse(String hex) {
    String h = hex.startsWith("0x") ? hex.substring(2) : hex;
    if (h.length() != LENGTH * 2) {
      throw new IllegalArgumentException("expected 64 hex digits, got " + h.length());
    }
    return new Hash256(HexFormat.of().parseHex(h));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(Hash256 o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash256 h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
