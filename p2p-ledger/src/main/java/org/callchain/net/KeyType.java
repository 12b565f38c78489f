package org.callchain.net;

/**
 * The key types of the libp2p key protobuf; the numbers are the protobuf enum values.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#keys">peer-ids
 *     spec, Keys</a>
 */
public enum KeyType {
  RSA(0),
  ED25519(1),
  SECP256K1(2),
  ECDSA(3);

  private final int number;

  KeyType(int number) {
    this.number = number;
  }

  /** The protobuf enum number. */
  public int number() {
    return number;
  }

  /** The key type for a protobuf enum number. */
  public static KeyType fromNumber(int number) {
    for (KeyType type : values()) {
      if (type.number == number) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown libp2p key type " + number);
  }
}
