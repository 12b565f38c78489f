package org.callchain.identity;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A device id: the 20-byte Ethereum address of the device's secp256k1 key (the last 20 bytes of
 * Keccak-256 of the uncompressed public key). Rendered as lowercase {@code 0x}-prefixed hex, which
 * is also the only form {@link #parse} needs; mixed-case (EIP-55) input is accepted as well.
 */
public final class DeviceAddress implements Comparable<DeviceAddress> {
  /** Length of an address in bytes. */
  public static final int LENGTH = 20;

  private final byte[] bytes;

  private DeviceAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps 20 address bytes (copied). */
  public static DeviceAddress of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a device address has 20 bytes, got " + bytes.length);
    }
    return new DeviceAddress(bytes.clone());
  }

  /**
   * The address of a secp256k1 public key in SEC1 form (33-byte compressed, as libp2p carries it,
   * or 65-byte uncompressed).
   *
   * @throws IllegalArgumentException if the bytes are not a point on the curve
   */
  public static DeviceAddress ofPublicKey(byte[] secp256k1PublicKey) {
    return new DeviceAddress(
        org.callchain.identity.internal.secp256k1.Secp256k1.addressOfPublicKey(secp256k1PublicKey));
  }

  /**
   * Parses {@code 0x} followed by 40 hex digits.
   *
   * @throws IllegalArgumentException with a one-line reason if the text is not an address
   */
  public static DeviceAddress parse(String text) {
    String t = text.strip();
    if (!t.startsWith("0x") && !t.startsWith("0X")) {
      throw new IllegalArgumentException(
          "not a device address (expected 0x + 40 hex digits): " + t);
    }
    String hex = t.substring(2);
    if (hex.length() != LENGTH * 2) {
      throw new IllegalArgumentException(
          "not a device address (expected 0x + 40 hex digits): " + t);
    }
    try {
      return new DeviceAddress(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a device address (bad hex digit): " + t, e);
    }
  }

  /** The 20 address bytes (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Lowercase {@code 0x}-prefixed hex. */
  public String toHex() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(DeviceAddress other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceAddress a && Arrays.equals(bytes, a.bytes);
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
