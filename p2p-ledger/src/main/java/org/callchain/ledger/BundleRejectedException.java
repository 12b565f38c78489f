package org.callchain.ledger;

/** A proof bundle was read but does not prove what it claims; the message says what failed. */
public final class BundleRejectedException extends LedgerException {
  public BundleRejectedException(String message) {
    super(message);
  }
}
