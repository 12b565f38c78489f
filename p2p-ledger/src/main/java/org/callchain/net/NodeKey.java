package org.callchain.net;

import java.security.SecureRandom;
import java.util.Arrays;
import org.callchain.net.internal.crypto.Ed25519;
import org.callchain.net.internal.crypto.KeyProtobuf;
import org.callchain.net.internal.crypto.Secp256k1;

/**
 * This node's private identity key. A device's secp256k1 key (the one its Ethereum address is
 * derived from) is the normal case; Ed25519 keys exist for tests and for peers that, like js-libp2p
 * by default, use them. {@link #toString} never prints key material.
 */
public final class NodeKey {
  private final KeyType type;
  private final byte[] secret;
  private final PeerPublicKey publicKey;

  private NodeKey(KeyType type, byte[] secret, PeerPublicKey publicKey) {
    this.type = type;
    this.secret = secret;
    this.publicKey = publicKey;
  }

  /** Wraps a raw 32-byte secp256k1 private key, for instance a device key. */
  public static NodeKey fromSecp256k1(byte[] privateKey) throws InvalidKeyException {
    try {
      byte[] secret = privateKey.clone();
      return new NodeKey(
          KeyType.SECP256K1,
          secret,
          PeerPublicKey.of(KeyType.SECP256K1, Secp256k1.publicKey(secret)));
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("invalid secp256k1 private key: " + e.getMessage(), e);
    }
  }

  /** Wraps a 32-byte Ed25519 seed. */
  public static NodeKey fromEd25519Seed(byte[] seed) throws InvalidKeyException {
    if (seed.length != 32) {
      throw new InvalidKeyException("an Ed25519 seed has 32 bytes");
    }
    byte[] secret = seed.clone();
    return new NodeKey(
        KeyType.ED25519, secret, PeerPublicKey.of(KeyType.ED25519, Ed25519.publicKey(secret)));
  }

  /** A fresh random secp256k1 key. */
  public static NodeKey generateSecp256k1() {
    try {
      return fromSecp256k1(Secp256k1.generatePrivateKey(new SecureRandom()));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("a generated key is valid", e);
    }
  }

  /** A fresh random Ed25519 key. */
  public static NodeKey generateEd25519() {
    try {
      return fromEd25519Seed(Ed25519.generateSeed(new SecureRandom()));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("a generated key is valid", e);
    }
  }

  /**
   * Decodes the libp2p {@code PrivateKey} protobuf (secp256k1: 32 bytes; Ed25519: 64 bytes seed +
   * public key, whose public half must match the seed, or a bare 32-byte seed).
   */
  public static NodeKey fromProtobuf(byte[] encoded) throws InvalidKeyException {
    KeyProtobuf.Message message;
    try {
      message = KeyProtobuf.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("invalid PrivateKey protobuf: " + e.getMessage(), e);
    }
    byte[] data = message.data();
    return switch (KeyType.fromNumber(message.type())) {
      case SECP256K1 -> fromSecp256k1(data);
      case ED25519 -> {
        if (data.length != 64 && data.length != 32) {
          throw new InvalidKeyException("an Ed25519 PrivateKey has 64 bytes");
        }
        NodeKey key = fromEd25519Seed(Arrays.copyOf(data, 32));
        if (data.length == 64
            && !Arrays.equals(Arrays.copyOfRange(data, 32, 64), key.publicKey.raw())) {
          throw new InvalidKeyException("Ed25519 PrivateKey public half does not match its seed");
        }
        yield key;
      }
      case RSA, ECDSA ->
          throw new InvalidKeyException(message.type() + " private keys are not supported");
    };
  }

  /** The libp2p {@code PrivateKey} protobuf. */
  public byte[] toProtobuf() {
    byte[] data = type == KeyType.ED25519 ? concat(secret, publicKey.raw()) : secret.clone();
    return KeyProtobuf.encode(type.number(), data);
  }

  public KeyType type() {
    return type;
  }

  public PeerPublicKey publicKey() {
    return publicKey;
  }

  public PeerId peerId() {
    return publicKey.toPeerId();
  }

  /** Signs the data with this key's libp2p signing rule (peer-ids spec, "Signing"). */
  public byte[] sign(byte[] data) {
    return type == KeyType.ED25519 ? Ed25519.sign(secret, data) : Secp256k1.sign(secret, data);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return "NodeKey[" + type + ", " + peerId() + "]";
  }
}
