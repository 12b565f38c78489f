package org.callchain.phone;

/** The phone could not do what was asked: a port is taken, a URI is bad, media could not open. */
public class PhoneException extends Exception {
  public PhoneException(String message) {
    super(message);
  }

  public PhoneException(String message, Throwable cause) {
    super(message, cause);
  }
}
