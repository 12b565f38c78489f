package org.callchain.net;

/**
 * A recoverable network failure at the API edge: a dial that failed, a protocol the peer does not
 * speak, a stream that was reset, a timeout. Futures of this API complete exceptionally with it.
 */
public class NetworkException extends Exception {
  public NetworkException(String message) {
    super(message);
  }

  public NetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
