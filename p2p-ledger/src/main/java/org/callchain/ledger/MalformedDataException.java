package org.callchain.ledger;

/**
 * Bytes or JSON that are not a valid, canonical encoding of a record, checkpoint, proof or bundle.
 * Canonical means: the decoder re-encodes what it read and gets the input back, so a value has
 * exactly one encoding and its hash is unambiguous.
 */
public final class MalformedDataException extends LedgerException {
  public MalformedDataException(String message) {
    super(message);
  }

  public MalformedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
