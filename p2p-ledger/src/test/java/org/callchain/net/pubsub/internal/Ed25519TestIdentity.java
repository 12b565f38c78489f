package org.callchain.net.pubsub.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.callchain.net.pubsub.MessageSigner;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.SignatureVerifier;

/**
 * An Ed25519 libp2p identity built on the JDK, for router tests: the public key protobuf is {@code
 * {Type: Ed25519 (1), Data: 32 raw bytes}} and, being 36 bytes, is inlined in the peer id as an
 * identity multihash (libp2p peer-ids spec "Peer Ids"). The verifier applies the same rules to
 * other peers' messages.
 */
final class Ed25519TestIdentity implements MessageSigner {
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final KeyPair keys;
  private final byte[] keyProto;
  private final byte[] peerId;

  Ed25519TestIdentity() {
    try {
      keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] encoded = keys.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    keyProto = new byte[36];
    keyProto[0] = 0x08;
    keyProto[1] = 0x01;
    keyProto[2] = 0x12;
    keyProto[3] = 0x20;
    System.arraycopy(raw, 0, keyProto, 4, 32);
    peerId = new byte[38];
    peerId[0] = 0x00;
    peerId[1] = 36;
    System.arraycopy(keyProto, 0, peerId, 2, 36);
  }

  PeerKey key() {
    return PeerKey.of(peerId);
  }

  @Override
  public byte[] peerId() {
    return peerId.clone();
  }

  @Override
  public byte[] publicKeyProto() {
    return keyProto.clone();
  }

  @Override
  public boolean keyInlinedInPeerId() {
    return true;
  }

  @Override
  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Verifies with the key inlined in an identity-multihash peer id (or the given key proto). */
  static final SignatureVerifier VERIFIER =
      (from, keyProto, data, sig) -> {
        byte[] proto = keyProto;
        if (proto == null) {
          if (from.length != 38 || from[0] != 0x00 || from[1] != 36) {
            return false;
          }
          proto = Arrays.copyOfRange(from, 2, 38);
        } else if (!Arrays.equals(Arrays.copyOfRange(from, 2, from.length), proto)) {
          return false;
        }
        if (proto.length != 36 || proto[0] != 0x08 || proto[1] != 0x01) {
          return false;
        }
        try {
          byte[] x509 = Arrays.copyOf(X509_PREFIX, 44);
          System.arraycopy(proto, 4, x509, 12, 32);
          PublicKey pub =
              KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
          Signature s = Signature.getInstance("Ed25519");
          s.initVerify(pub);
          s.update(data);
          return s.verify(sig);
        } catch (GeneralSecurityException e) {
          return false;
        }
      };
}
