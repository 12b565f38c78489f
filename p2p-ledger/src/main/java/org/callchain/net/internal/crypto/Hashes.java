package org.callchain.net.internal.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256, the one hash function of the stack (peer ids, ECDSA digests, Noise). */
public final class Hashes {
  private Hashes() {}

  public static byte[] sha256(byte[]... parts) {
    SHA256Digest digest = new SHA256Digest();
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}
