package org.callchain.net;

/** A key, signature encoding or peer id that does not follow the libp2p peer-ids spec. */
public final class InvalidKeyException extends Exception {
  public InvalidKeyException(String message) {
    super(message);
  }

  public InvalidKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
