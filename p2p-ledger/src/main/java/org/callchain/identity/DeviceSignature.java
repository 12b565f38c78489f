package org.callchain.identity;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A recoverable secp256k1 signature in Ethereum's 65-byte layout {@code r || s || v}: {@code r} and
 * {@code s} are 32-byte big-endian integers and {@code v} is 27 or 28 (the recovery id + 27). Only
 * the canonical low-{@code s} form (EIP-2) is ever produced or accepted, so one signed message has
 * exactly one valid signature encoding per key.
 */
public final class DeviceSignature {
  /** Length of the encoded signature. */
  public static final int LENGTH = 65;

  private final byte[] bytes;

  private DeviceSignature(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps 65 signature bytes (copied). Only the length and {@code v} are checked here; whether the
   * signature is valid is decided by {@link SignatureVerifier}.
   */
  public static DeviceSignature of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a signature has 65 bytes, got " + bytes.length);
    }
    int v = bytes[64] & 0xff;
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("signature recovery byte v must be 27 or 28, got " + v);
    }
    return new DeviceSignature(bytes.clone());
  }

  /** The 65 bytes {@code r || s || v} (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceSignature s && Arrays.equals(bytes, s.bytes);
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
