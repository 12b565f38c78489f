package org.callchain.identity.passport;

/**
 * A token that is not a valid Callchain PASSporT: not a JWS compact serialization, a header or
 * claim that is missing or of the wrong type, an algorithm other than ES256K, or a signature that
 * was not made by the {@code kid}'s key. The message says which, in one line.
 */
public final class InvalidPassportException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean badSignature;

  public InvalidPassportException(String message, boolean badSignature) {
    super(message);
    this.badSignature = badSignature;
  }

  /** True when the token was well formed but its signature does not verify for its {@code kid}. */
  public boolean badSignature() {
    return badSignature;
  }
}
