package org.callchain.ledger;

/**
 * The store cannot be opened as a ledger: unreadable files, or contents that contradict themselves
 * (a head without its checkpoint, missing tree nodes). Nothing is repaired or overwritten; run
 * {@code callchain audit} to see every problem.
 */
public final class CorruptStoreException extends LedgerException {
  public CorruptStoreException(String message) {
    super(message);
  }

  public CorruptStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
