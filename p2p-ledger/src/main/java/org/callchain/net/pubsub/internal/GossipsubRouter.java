package org.callchain.net.pubsub.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.callchain.net.pubsub.EventLoop;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.MessageSigner;
import org.callchain.net.pubsub.MessageValidator;
import org.callchain.net.pubsub.PeerConnection;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PublishResult;
import org.callchain.net.pubsub.Pubsub;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.PubsubTransport;
import org.callchain.net.pubsub.SignatureVerifier;
import org.callchain.net.pubsub.Subscription;
import org.callchain.net.pubsub.internal.proto.RpcProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gossipsub v1.1 router (libp2p specs pubsub/gossipsub/gossipsub-v1.0.md and -v1.1.md) on top of
 * a {@link PubsubTransport}. Every state change happens on one {@link EventLoop}: transport
 * callbacks and API calls are handed to it, so the router needs no locks and a test loop with
 * virtual time makes it fully deterministic.
 *
 * <p>The message path: an RPC from a graylisted peer is dropped whole; a message on a topic we
 * joined is checked against the seen-cache (duplicates only feed the score), then against
 * StrictSign, then marked seen and handed to the topic's validator; only ACCEPTed messages are
 * cached for gossip, delivered locally and forwarded to the mesh. REJECTs cost the sender (P4).
 */
public final class GossipsubRouter implements Pubsub {
  private static final Logger log = LoggerFactory.getLogger(GossipsubRouter.class);

  private final GossipParams params;
  private final PeerScoreThresholds thresholds;
  private final PeerScoreParams scoreParams;
  private final PubsubTransport transport;
  private final EventLoop loop;
  private final PeerKey self;
  private final MeshState state = new MeshState();
  private final SeenCache seen;
  private final MessageCache mcache;
  private final GossipPromises promises;
  private final PeerScore score;
  private final RpcOutbox outbox;
  private final MeshControl control;
  private final Heartbeat heartbeat;
  private final ReceivedMessages received;
  private final PublishedMessages published;
  private final Map<String, List<Consumer<PubsubMessage>>> handlers = new HashMap<>();
  private final Map<String, MessageValidator> validators = new HashMap<>();
  private final List<Consumer<List<PeerKey>>> exchangeListeners = new CopyOnWriteArrayList<>();
  private boolean started;
  private volatile boolean closed;
  private EventLoop.Scheduled nextHeartbeat;
  private EventLoop.Scheduled nextDecay;
  private long graylistedDrops;
  private long malformed;

  /**
   * @param maxRpcSize the transport's frame limit; outgoing RPCs are split to stay below it
   */
  public GossipsubRouter(
      GossipParams params,
      PeerScoreParams scoreParams,
      PeerScoreThresholds thresholds,
      PubsubTransport transport,
      MessageSigner signer,
      SignatureVerifier verifier,
      EventLoop loop,
      RandomGenerator random,
      int maxRpcSize) {
    this.params = params;
    this.thresholds = thresholds;
    this.scoreParams = scoreParams;
    this.transport = transport;
    this.loop = loop;
    this.self = PeerKey.of(signer.peerId());
    this.seen = new SeenCache(params.seenTtl().toMillis());
    this.mcache = new MessageCache(params.historyLength(), params.historyGossip());
    this.promises = new GossipPromises(params.iwantFollowupTime().toMillis(), random);
    this.score = new PeerScore(scoreParams, loop::nowMillis, params.seenTtl().toMillis());
    this.outbox = new RpcOutbox(transport, maxRpcSize);
    this.control =
        new MeshControl(
            params,
            thresholds,
            state,
            score,
            outbox,
            mcache,
            seen,
            promises,
            random,
            loop::nowMillis,
            peers -> exchangeListeners.forEach(l -> l.accept(peers)));
    this.heartbeat =
        new Heartbeat(
            params,
            thresholds,
            state,
            score,
            control,
            outbox,
            mcache,
            promises,
            random,
            loop::nowMillis);
    this.received =
        new ReceivedMessages(
            params,
            state,
            seen,
            mcache,
            promises,
            score,
            outbox,
            verifier,
            loop,
            self,
            handlers,
            validators,
            () -> closed);
    this.published =
        new PublishedMessages(
            params,
            thresholds,
            state,
            seen,
            mcache,
            score,
            outbox,
            signer,
            loop,
            received,
            () -> closed);
  }

  /** Registers with the transport and starts the heartbeat. */
  public void start() {
    loop.execute(
        () -> {
          if (started || closed) {
            return;
          }
          started = true;
          transport.start(new TransportEvents());
          nextHeartbeat = loop.schedule(params.heartbeatInitialDelay(), this::onHeartbeat);
          nextDecay = loop.schedule(scoreParams.decayInterval(), this::onDecay);
        });
  }

  /** Peers learned from PRUNE peer exchange (only when enabled), for the application to dial. */
  public void onPeerExchange(Consumer<List<PeerKey>> listener) {
    exchangeListeners.add(listener);
  }

  @Override
  public PeerKey self() {
    return self;
  }

  private final class TransportEvents implements PubsubTransport.Listener {
    @Override
    public void peerConnected(PeerKey peer, PeerConnection connection) {
      loop.execute(() -> onPeerConnected(peer, connection));
    }

    @Override
    public void peerDisconnected(PeerKey peer) {
      loop.execute(() -> onPeerDisconnected(peer));
    }

    @Override
    public void rpcReceived(PeerKey peer, byte[] rpc) {
      loop.execute(() -> onRpc(peer, rpc));
    }
  }

  private void onPeerConnected(PeerKey peer, PeerConnection connection) {
    if (closed || peer.equals(self)) {
      return;
    }
    state.addPeer(peer, connection);
    score.addPeer(peer, connection.ipAddress());
    for (String topic : state.joined) {
      outbox.subscription(peer, topic, true);
    }
    outbox.flush();
  }

  private void onPeerDisconnected(PeerKey peer) {
    if (closed || !state.connections.containsKey(peer)) {
      return;
    }
    score.removePeer(peer);
    state.removePeer(peer);
    outbox.forget(peer);
  }

  private void onRpc(PeerKey peer, byte[] bytes) {
    if (closed || !state.connections.containsKey(peer)) {
      return;
    }
    if (score.score(peer) < thresholds.graylistThreshold()) {
      graylistedDrops++;
      return;
    }
    RpcProto.RPC rpc;
    try {
      rpc = RpcProto.RPC.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      malformed++;
      log.debug("malformed RPC from {}: {}", peer, e.getMessage());
      return;
    }
    for (RpcProto.RPC.SubOpts sub : rpc.getSubscriptionsList()) {
      if (!sub.hasTopicid()) {
        continue;
      }
      String topic = sub.getTopicid();
      if (sub.getSubscribe()) {
        state.peerSubscribed(peer, topic);
      } else {
        if (state.meshOf(topic).contains(peer)) {
          score.prune(peer, topic);
        }
        state.peerUnsubscribed(peer, topic);
      }
    }
    for (RpcProto.Message m : rpc.getPublishList()) {
      received.onMessage(peer, m);
    }
    if (rpc.hasControl()) {
      RpcProto.ControlMessage c = rpc.getControl();
      control.handleIHave(peer, c.getIhaveList());
      control.handleIWant(peer, c.getIwantList());
      control.handleGraft(peer, c.getGraftList());
      control.handlePrune(peer, c.getPruneList());
    }
    outbox.flush();
  }

  @Override
  public Subscription subscribe(String topic, Consumer<PubsubMessage> handler) {
    requireTopic(topic);
    loop.execute(
        () -> {
          if (closed) {
            return;
          }
          handlers.computeIfAbsent(topic, t -> new ArrayList<>()).add(handler);
          join(topic);
          outbox.flush();
        });
    return new Subscription() {
      @Override
      public String topic() {
        return topic;
      }

      @Override
      public void close() {
        loop.execute(
            () -> {
              List<Consumer<PubsubMessage>> list = handlers.get(topic);
              if (list == null || !list.remove(handler) || !list.isEmpty() || closed) {
                return;
              }
              handlers.remove(topic);
              leave(topic);
              outbox.flush();
            });
      }
    };
  }

  /** Joins a topic's mesh, starting from its fanout peers (gossipsub-v1.0.md "JOIN"). */
  private void join(String topic) {
    if (!state.joined.add(topic)) {
      return;
    }
    for (PeerKey p : state.connections.keySet()) {
      outbox.subscription(p, topic, true);
    }
    state.mesh.put(topic, new HashSet<>());
    long now = loop.nowMillis();
    Set<PeerKey> candidates = new LinkedHashSet<>(state.fanout.getOrDefault(topic, Set.of()));
    candidates.addAll(state.peersOf(topic));
    state.fanout.remove(topic);
    state.fanoutLastPublished.remove(topic);
    int grafted = 0;
    for (PeerKey p : candidates) {
      if (grafted >= params.d()) {
        break;
      }
      if (!state.inBackoff(topic, p, now) && score.score(p) >= 0) {
        control.graft(p, topic);
        grafted++;
      }
    }
  }

  /**
   * Leaves a topic: PRUNE every mesh peer with the unsubscribe backoff (gossipsub-v1.0.md "LEAVE").
   */
  private void leave(String topic) {
    if (!state.joined.remove(topic)) {
      return;
    }
    for (PeerKey p : state.connections.keySet()) {
      outbox.subscription(p, topic, false);
    }
    for (PeerKey p : List.copyOf(state.meshOf(topic))) {
      control.prune(p, topic, params.unsubscribeBackoff().toMillis(), true);
    }
    state.mesh.remove(topic);
  }

  @Override
  public void setValidator(String topic, MessageValidator validator) {
    requireTopic(topic);
    loop.execute(() -> validators.put(topic, validator));
  }

  private void onHeartbeat() {
    if (closed) {
      return;
    }
    try {
      seen.sweep(loop.nowMillis());
      heartbeat.run();
      outbox.flush();
    } catch (RuntimeException e) {
      log.error("gossipsub heartbeat failed", e);
    } finally {
      nextHeartbeat = loop.schedule(params.heartbeatInterval(), this::onHeartbeat);
    }
  }

  private void onDecay() {
    if (closed) {
      return;
    }
    score.refresh();
    nextDecay = loop.schedule(scoreParams.decayInterval(), this::onDecay);
  }

  @Override
  public CompletionStage<PublishResult> publish(String topic, byte[] data) {
    requireTopic(topic);
    return published.publish(topic, data);
  }

  @Override
  public CompletionStage<Set<PeerKey>> meshPeers(String topic) {
    return query(() -> Set.copyOf(state.meshOf(topic)));
  }

  @Override
  public CompletionStage<Set<PeerKey>> topicPeers(String topic) {
    return query(() -> Set.copyOf(state.peersOf(topic)));
  }

  @Override
  public CompletionStage<Double> score(PeerKey peer) {
    return query(() -> score.score(peer));
  }

  /** P7 counter of a peer, for tests and diagnostics. */
  public CompletionStage<Double> behaviourPenalty(PeerKey peer) {
    return query(() -> score.behaviourPenalty(peer));
  }

  @Override
  public CompletionStage<PubsubStats> stats() {
    return query(
        () ->
            new PubsubStats(
                received.delivered,
                received.duplicates,
                received.rejected,
                received.ignored,
                graylistedDrops,
                malformed));
  }

  private <T> CompletionStage<T> query(Supplier<T> read) {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            f.complete(read.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  @Override
  public void close() {
    closed = true;
    loop.execute(
        () -> {
          if (nextHeartbeat != null) {
            nextHeartbeat.cancel();
          }
          if (nextDecay != null) {
            nextDecay.cancel();
          }
        });
  }

  private static void requireTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("a topic is a non-empty string");
    }
  }
}
