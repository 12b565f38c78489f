package org.callchain.net.internal.yamux;

/** The peer violated the yamux protocol; the session ends with a protocol-error go-away. */
public final class YamuxException extends Exception {
  public YamuxException(String message) {
    super(message);
  }
}
