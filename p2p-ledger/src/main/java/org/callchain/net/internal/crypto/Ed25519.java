package org.callchain.net.internal.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032) as libp2p uses it: the public key is 32 bytes; the private key in the libp2p
 * protobuf is the 32-byte seed followed by the 32-byte public key (peer-ids spec, "Ed25519").
 */
public final class Ed25519 {
  private Ed25519() {}

  /** A fresh 32-byte seed. */
  public static byte[] generateSeed(SecureRandom random) {
    return new Ed25519PrivateKeyParameters(random).getEncoded();
  }

  /** The 32-byte public key of a 32-byte seed. */
  public static byte[] publicKey(byte[] seed) {
    return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
  }

  /** A 64-byte signature of the message. */
  public static byte[] sign(byte[] seed, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Verifies a signature; false on any malformed input. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
