package org.callchain.ledger;

/** A recoverable ledger failure at an API edge; the message is one line for the user. */
public class LedgerException extends Exception {
  public LedgerException(String message) {
    super(message);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
