package org.callchain.net.pubsub;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Topic-based publish/subscribe over libp2p (gossipsub v1.1). Payloads are opaque bytes; the
 * application decides what they mean and whether they are valid through a {@link MessageValidator}
 * per topic. Methods may be called from any thread; handlers and validators run on the router's
 * {@link EventLoop} and must not block it.
 */
public interface Pubsub extends AutoCloseable {

  /** Our own peer id. */
  PeerKey self();

  /**
   * Subscribes to the topic: announces it to every peer and joins its mesh. Every message accepted
   * on the topic, except our own, is handed to the handler once.
   */
  Subscription subscribe(String topic, Consumer<PubsubMessage> handler);

  /** Sets the topic's validator (replacing an earlier one); without one, messages are accepted. */
  void setValidator(String topic, MessageValidator validator);

  /**
   * Signs and sends a message. The stage fails with {@link PubsubException} when the payload is too
   * large, our own validator does not accept it, or the router is closed.
   */
  CompletionStage<PublishResult> publish(String topic, byte[] data);

  /** The peers in our mesh for the topic. */
  CompletionStage<Set<PeerKey>> meshPeers(String topic);

  /** The connected peers that announced the topic. */
  CompletionStage<Set<PeerKey>> topicPeers(String topic);

  /** A peer's current score (gossipsub-v1.1.md "Peer Scoring"). */
  CompletionStage<Double> score(PeerKey peer);

  /** Counters since start. */
  CompletionStage<PubsubStats> stats();

  /** Stops the heartbeat; later calls and events are ignored. */
  @Override
  void close();
}
