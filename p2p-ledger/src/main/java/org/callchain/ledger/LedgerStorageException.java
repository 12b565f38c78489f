package org.callchain.ledger;

/**
 * The store failed underneath (I/O error, RocksDB error) or returned bytes that cannot be what the
 * ledger wrote. Unchecked: no caller can fix it on the spot; the CLI reports it as one line.
 */
public final class LedgerStorageException extends RuntimeException {
  public LedgerStorageException(String message) {
    super(message);
  }

  public LedgerStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
