package org.callchain.net.internal.noise;

/** The Noise handshake or a transport message failed; the connection must be closed. */
public final class NoiseException extends Exception {
  public NoiseException(String message) {
    super(message);
  }

  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
