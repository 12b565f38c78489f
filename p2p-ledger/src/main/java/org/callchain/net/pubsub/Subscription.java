package org.callchain.net.pubsub;

/**
 * A local subscription to a topic; closing it unsubscribes (and leaves the mesh when it was the
 * last).
 */
public interface Subscription extends AutoCloseable {
  String topic();

  @Override
  void close();
}
