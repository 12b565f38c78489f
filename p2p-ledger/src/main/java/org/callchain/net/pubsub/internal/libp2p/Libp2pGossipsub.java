package org.callchain.net.pubsub.internal.libp2p;

import java.security.SecureRandom;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.callchain.net.Host;
import org.callchain.net.NodeKey;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.MessageValidator;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PublishResult;
import org.callchain.net.pubsub.Pubsub;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.Subscription;
import org.callchain.net.pubsub.internal.GossipsubRouter;
import org.callchain.net.pubsub.internal.SingleThreadEventLoop;

/**
 * Gossipsub on a libp2p {@link Host}: the router on its own event-loop thread, bound to {@code
 * /meshsub/1.1.0} and {@code /meshsub/1.0.0} streams, signing with the host's identity key. Closing
 * it stops the router and its thread; the host stays up.
 */
public final class Libp2pGossipsub implements Pubsub {
  /**
   * Largest RPC frame we send or accept: 1 MiB, the limit go-libp2p-pubsub applies; messages are
   * limited to {@link #MAX_PAYLOAD} so that one always fits with its envelope.
   */
  public static final int MAX_RPC_BYTES = 1 << 20;

  /** Default payload limit, leaving room in a frame for from, seqno, topic and signature. */
  public static final int MAX_PAYLOAD = 1_000_000;

  private final SingleThreadEventLoop loop;
  private final GossipsubRouter router;

  private Libp2pGossipsub(SingleThreadEventLoop loop, GossipsubRouter router) {
    this.loop = loop;
    this.router = router;
  }

  /** Gossipsub with the spec's default parameters and default scoring. */
  public static Libp2pGossipsub start(Host host, NodeKey key) {
    return start(
        host,
        key,
        GossipParams.builder().maxMessageSize(MAX_PAYLOAD).build(),
        PeerScoreParams.defaults(),
        PeerScoreThresholds.defaults());
  }

  /**
   * Starts the router on the host. {@code key} must be the host's identity key: messages are signed
   * with it and carry its peer id.
   */
  public static Libp2pGossipsub start(
      Host host,
      NodeKey key,
      GossipParams params,
      PeerScoreParams scoreParams,
      PeerScoreThresholds thresholds) {
    if (!key.peerId().equals(host.peerId())) {
      throw new IllegalArgumentException("the signing key is not the host's identity key");
    }
    if (params.maxMessageSize() > MAX_PAYLOAD) {
      throw new IllegalArgumentException("message size limit must leave room in a 1 MiB frame");
    }
    SingleThreadEventLoop loop = new SingleThreadEventLoop("gossipsub-" + host.peerId());
    GossipsubRouter router =
        new GossipsubRouter(
            params,
            scoreParams,
            thresholds,
            new Libp2pPubsubTransport(host, MAX_RPC_BYTES),
            new NodeKeyMessageSigner(key),
            new PeerIdSignatureVerifier(),
            loop,
            new Random(new SecureRandom().nextLong()),
            MAX_RPC_BYTES);
    router.start();
    return new Libp2pGossipsub(loop, router);
  }

  @Override
  public PeerKey self() {
    return router.self();
  }

  @Override
  public Subscription subscribe(String topic, Consumer<PubsubMessage> handler) {
    return router.subscribe(topic, handler);
  }

  @Override
  public void setValidator(String topic, MessageValidator validator) {
    router.setValidator(topic, validator);
  }

  @Override
  public CompletionStage<PublishResult> publish(String topic, byte[] data) {
    return router.publish(topic, data);
  }

  @Override
  public CompletionStage<Set<PeerKey>> meshPeers(String topic) {
    return router.meshPeers(topic);
  }

  @Override
  public CompletionStage<Set<PeerKey>> topicPeers(String topic) {
    return router.topicPeers(topic);
  }

  @Override
  public CompletionStage<Double> score(PeerKey peer) {
    return router.score(peer);
  }

  @Override
  public CompletionStage<PubsubStats> stats() {
    return router.stats();
  }

  @Override
  public void close() {
    router.close();
    loop.execute(loop::close);
  }
}
