package org.callchain.ledger.replication;

/** The ledger network could not start (bad address, port in use, a key that is not secp256k1). */
public class LedgerNetworkException extends Exception {
  private static final long serialVersionUID = 1L;

  public LedgerNetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
