package org.callchain.net.internal.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState (Noise §5.1) for ChaChaPoly (§12.3): a 32-byte key and a 64-bit counter
 * nonce, encoded as 32 zero bits followed by the little-endian counter. The counter never wraps: at
 * 2^64-1 the state refuses to work, so the connection must be closed (noise-libp2p, "Encrypted
 * Payloads": never reuse a nonce).
 *
 * <p>The AEAD is the JDK's RFC 8439 ChaCha20-Poly1305 (the construction Noise §12.3 names), one
 * {@link Cipher} per state re-initialised for each nonce: on our JDK it costs about 60% of the CPU
 * of Bouncy Castle's, and every copy of every gossip message passes through it twice. Not
 * thread-safe: a state belongs to one direction of one connection.
 */
final class CipherState {
  static final int TAG_LENGTH = 16;
  private static final String AEAD = "ChaCha20-Poly1305";

  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] iv = new byte[12];
  private long nonce;

  CipherState(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "ChaCha20");
    try {
      this.cipher = Cipher.getInstance(AEAD);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + AEAD + " (RFC 8439)", e);
    }
  }

  byte[] encrypt(byte[] associatedData, byte[] plaintext) {
    try {
      init(Cipher.ENCRYPT_MODE, associatedData);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    }
  }

  byte[] decrypt(byte[] associatedData, byte[] ciphertext) throws NoiseException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than its tag");
    }
    try {
      init(Cipher.DECRYPT_MODE, associatedData);
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new NoiseException("decryption failed: bad tag");
    } catch (GeneralSecurityException e) {
      throw new NoiseException("decryption failed: " + e.getMessage());
    }
  }

  private void init(int mode, byte[] associatedData) throws GeneralSecurityException {
    if (nonce == -1L) {
      throw new IllegalStateException("Noise nonce exhausted; the connection must be closed");
    }
    long n = nonce++;
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    cipher.init(mode, key, new IvParameterSpec(iv));
    if (associatedData.length > 0) {
      cipher.updateAAD(associatedData);
    }
  }
}
