package org.callchain.net.internal.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.callchain.net.internal.crypto.Hashes;

/**
 * The Noise SymmetricState (Noise §5.2) with SHA-256: chaining key {@code ck}, handshake hash
 * {@code h}, and the current CipherState once a key has been mixed in.
 */
final class SymmetricState {
  /** Exactly 32 bytes, so it is used as the initial {@code h} without hashing (Noise §5.2). */
  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  private byte[] chainingKey;
  private byte[] hash;
  private CipherState cipher;

  SymmetricState() {
    hash = Arrays.copyOf(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII), 32);
    chainingKey = hash.clone();
    // noise-libp2p uses an empty prologue; MixHash(prologue) is still performed.
    mixHash(new byte[0]);
  }

  void mixHash(byte[] data) {
    hash = Hashes.sha256(hash, data);
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(chainingKey, inputKeyMaterial);
    chainingKey = out[0];
    cipher = new CipherState(out[1]);
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipher == null ? plaintext : cipher.encrypt(hash, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
    byte[] plaintext = cipher == null ? ciphertext : cipher.decrypt(hash, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  boolean hasKey() {
    return cipher != null;
  }

  /** Noise §5.2 Split(): the initiator's sending and receiving cipher states, in that order. */
  CipherState[] split() {
    byte[][] out = hkdf(chainingKey, new byte[0]);
    return new CipherState[] {new CipherState(out[0]), new CipherState(out[1])};
  }

  byte[] handshakeHash() {
    return hash.clone();
  }

  /** Noise §4.3 HKDF with two outputs. */
  private static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
    byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
    byte[] output1 = hmac(tempKey, new byte[] {1});
    byte[] output2 = hmac(tempKey, concat(output1, new byte[] {2}));
    return new byte[][] {output1, output2};
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(data, 0, data.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
