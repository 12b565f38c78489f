package org.callchain.net.internal.multistream;

/** The peer broke multistream-select; the connection or stream must be closed. */
public final class MultistreamException extends Exception {
  public MultistreamException(String message) {
    super(message);
  }
}
