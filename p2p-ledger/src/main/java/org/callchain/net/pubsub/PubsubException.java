package org.callchain.net.pubsub;

/**
 * A publish that could not be carried out (too large, refused by the topic's own validator, router
 * closed).
 */
public class PubsubException extends Exception {
  public PubsubException(String message) {
    super(message);
  }
}
