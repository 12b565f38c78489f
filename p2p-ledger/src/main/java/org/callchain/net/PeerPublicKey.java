package org.callchain.net;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.ECPoint;
import org.callchain.net.internal.crypto.Ed25519;
import org.callchain.net.internal.crypto.KeyProtobuf;
import org.callchain.net.internal.crypto.Secp256k1;

/**
 * A peer's public identity key. secp256k1 (compressed, 33 bytes) and Ed25519 (32 bytes) keys can
 * verify signatures; RSA and ECDSA keys are carried (so their peer ids are right) but their
 * signatures are not verified, which makes such peers fail the Noise handshake.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md">peer-ids spec</a>
 */
public final class PeerPublicKey {
  private final KeyType type;
  private final byte[] raw;

  /** The decoded secp256k1 point, kept so that verification does not decompress it again. */
  private final ECPoint secp256k1Point;

  private PeerPublicKey(KeyType type, byte[] raw, ECPoint secp256k1Point) {
    this.type = type;
    this.raw = raw;
    this.secp256k1Point = secp256k1Point;
  }

  /**
   * A key from its type and raw bytes; secp256k1 keys may be given uncompressed and are stored
   * compressed, as the spec requires.
   */
  public static PeerPublicKey of(KeyType type, byte[] raw) throws InvalidKeyException {
    try {
      return switch (type) {
        case SECP256K1 -> {
          ECPoint point = Secp256k1.decodePublicKey(raw);
          yield new PeerPublicKey(type, point.getEncoded(true), point);
        }
        case ED25519 -> {
          if (raw.length != 32) {
            throw new InvalidKeyException("an Ed25519 public key has 32 bytes");
          }
          yield new PeerPublicKey(type, raw.clone(), null);
        }
        case RSA, ECDSA -> new PeerPublicKey(type, raw.clone(), null);
      };
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("invalid " + type + " public key", e);
    }
  }

  /** Decodes the libp2p {@code PublicKey} protobuf. */
  public static PeerPublicKey fromProtobuf(byte[] encoded) throws InvalidKeyException {
    KeyProtobuf.Message message;
    try {
      message = KeyProtobuf.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("invalid PublicKey protobuf: " + e.getMessage(), e);
    }
    KeyType type = KeyType.fromNumber(message.type());
    if (type == KeyType.SECP256K1 && message.data().length != 33) {
      throw new InvalidKeyException("a secp256k1 PublicKey must be the 33-byte compressed point");
    }
    return of(type, message.data());
  }

  public KeyType type() {
    return type;
  }

  /** The raw key bytes (compressed point for secp256k1). */
  public byte[] raw() {
    return raw.clone();
  }

  /** The canonical {@code PublicKey} protobuf that peer ids are derived from. */
  public byte[] toProtobuf() {
    return KeyProtobuf.encode(type.number(), raw);
  }

  /** The peer id of this key. */
  public PeerId toPeerId() {
    return PeerId.fromPublicKey(this);
  }

  /** Whether the signature is this key's over the data; false for unsupported key types. */
  public boolean verify(byte[] data, byte[] signature) {
    return switch (type) {
      case SECP256K1 -> Secp256k1.verify(secp256k1Point, data, signature);
      case ED25519 -> Ed25519.verify(raw, data, signature);
      case RSA, ECDSA -> false;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerPublicKey other && other.type == type && Arrays.equals(other.raw, raw);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return type + ":" + HexFormat.of().formatHex(raw);
  }
}
