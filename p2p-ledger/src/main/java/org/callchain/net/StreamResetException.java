package org.callchain.net;

/** The stream was reset (by either side) or its connection closed before it ended cleanly. */
public final class StreamResetException extends NetworkException {
  public StreamResetException(String message) {
    super(message);
  }
}
