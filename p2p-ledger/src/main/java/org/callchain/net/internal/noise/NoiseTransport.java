package org.callchain.net.internal.noise;

/**
 * The two cipher states that protect a connection after the handshake (noise-libp2p, "Encrypted
 * Payloads"): one per direction, empty associated data, one nonce per message.
 */
public final class NoiseTransport {
  /** Largest Noise message (noise-libp2p, "Wire Format"): the 2-byte length prefix caps it. */
  public static final int MAX_MESSAGE = 65535;

  /** Largest plaintext per transport message. */
  public static final int MAX_PLAINTEXT = MAX_MESSAGE - CipherState.TAG_LENGTH;

  private static final byte[] NO_AD = new byte[0];
  private final CipherState sender;
  private final CipherState receiver;

  NoiseTransport(CipherState sender, CipherState receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  /** Encrypts at most {@link #MAX_PLAINTEXT} bytes. */
  public byte[] encrypt(byte[] plaintext) {
    if (plaintext.length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("Noise plaintext too long: " + plaintext.length);
    }
    return sender.encrypt(NO_AD, plaintext);
  }

  public byte[] decrypt(byte[] ciphertext) throws NoiseException {
    return receiver.decrypt(NO_AD, ciphertext);
  }
}
