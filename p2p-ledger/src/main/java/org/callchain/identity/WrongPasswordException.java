package org.callchain.identity;

/** The keystore's MAC did not match: the password is wrong (or the file was altered). */
public final class WrongPasswordException extends KeystoreException {
  public WrongPasswordException(String message) {
    super(message);
  }
}
