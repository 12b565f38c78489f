package org.callchain.chain;

import java.util.Arrays;
import java.util.HexFormat;

/** The 32-byte root hash of a device log's Merkle tree (RFC 9162 §2.1.1), as anchored. */
public record RootHash(byte[] bytes) {

  public RootHash {
    if (bytes == null || bytes.length != 32) {
      throw new IllegalArgumentException("a root hash has 32 bytes");
    }
    bytes = bytes.clone();
  }

  public static RootHash parse(String hex) {
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    return new RootHash(HexFormat.of().parseHex(digits));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
