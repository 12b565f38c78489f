package org.callchain.net.internal.noise;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Noise CipherState (Noise §5.1) for ChaChaPoly (§12.3): a 32-byte key and a 64-bit counter
 * nonce, encoded as 32 zero bits followed by the little-endian counter. The counter never wraps: at
 * 2^64-1 the state refuses to work, so the connection must be closed (noise-libp2p, "Encrypted
 * Payloads": never reuse a nonce).
 */
final class CipherState {
  static final int TAG_LENGTH = 16;

  private final byte[] key;
  private long nonce;

  CipherState(byte[] key) {
    this.key = key.clone();
  }

  byte[] encrypt(byte[] associatedData, byte[] plaintext) {
    ChaCha20Poly1305 aead = init(true, associatedData);
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    int n = aead.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    }
    return out;
  }

  byte[] decrypt(byte[] associatedData, byte[] ciphertext) throws NoiseException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than its tag");
    }
    ChaCha20Poly1305 aead = init(false, associatedData);
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    int n = aead.processBytes(ciphertext, 0, ciphertext.length, out, 0);
    try {
      aead.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new NoiseException("decryption failed: bad tag");
    }
    return out;
  }

  private ChaCha20Poly1305 init(boolean forEncryption, byte[] associatedData) {
    if (nonce == -1L) {
      throw new IllegalStateException("Noise nonce exhausted; the connection must be closed");
    }
    byte[] iv = new byte[12];
    long n = nonce++;
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    aead.init(forEncryption, new AEADParameters(new KeyParameter(key), 128, iv, associatedData));
    return aead;
  }
}
