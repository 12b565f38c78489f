package org.callchain.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.web3j.crypto.Keys;

/**
 * A device id: the 20-byte Ethereum address of the device's secp256k1 key. Printed in EIP-55
 * mixed-case checksum form; parsing accepts any case but rejects a wrong checksum when the input is
 * mixed-case, because a typo there would silently name another device.
 */
public record DeviceAddress(byte[] bytes) {

  public DeviceAddress {
    if (bytes == null || bytes.length != 20) {
      throw new IllegalArgumentException("a device address has 20 bytes");
    }
    bytes = bytes.clone();
  }

  /** Parses {@code 0x}-prefixed (or bare) hex; throws {@link IllegalArgumentException}. */
  public static DeviceAddress parse(String text) {
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (hex.length() != 40 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not an Ethereum address (0x + 40 hex digits): " + text);
    }
    boolean mixedCase =
        !hex.equals(hex.toLowerCase(Locale.ROOT)) && !hex.equals(hex.toUpperCase(Locale.ROOT));
    if (mixedCase && !Keys.toChecksumAddress(hex).substring(2).equals(hex)) {
      throw new IllegalArgumentException("address checksum (EIP-55) does not match: " + text);
    }
    return new DeviceAddress(HexFormat.of().parseHex(hex));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Lower-case {@code 0x} hex, as JSON-RPC and web3j expect it. */
  public String hex() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceAddress other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** EIP-55 checksum form. */
  @Override
  public String toString() {
    return Keys.toChecksumAddress(hex());
  }
}
