package org.callchain.net;

/** A multiaddr whose text or bytes do not follow the multiaddr spec, or one we cannot dial. */
public final class InvalidMultiaddrException extends Exception {
  public InvalidMultiaddrException(String message) {
    super(message);
  }

  public InvalidMultiaddrException(String message, Throwable cause) {
    super(message, cause);
  }
}
