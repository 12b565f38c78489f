package org.callchain.identity;

/** A keystore file could not be created or unlocked; the message is one line for the user. */
public class KeystoreException extends Exception {
  public KeystoreException(String message) {
    super(message);
  }

  public KeystoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
