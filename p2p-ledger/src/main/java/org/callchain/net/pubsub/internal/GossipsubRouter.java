package org.callchain.net.pubsub.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
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
import org.callchain.net.pubsub.PubsubException;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.PubsubTransport;
import org.callchain.net.pubsub.SignatureVerifier;
import org.callchain.net.pubsub.Subscription;
import org.callchain.net.pubsub.ValidationResult;
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
  private final MessageSigner signer;
  private final SignatureVerifier verifier;
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
  private final Map<String, List<Consumer<PubsubMessage>>> handlers = new HashMap<>();
  private final Map<String, MessageValidator> validators = new HashMap<>();
  private final List<Consumer<List<PeerKey>>> exchangeListeners = new CopyOnWriteArrayList<>();
  private long nextSeqno;
  private boolean started;
  private volatile boolean closed;
  private EventLoop.Scheduled nextHeartbeat;
  private EventLoop.Scheduled nextDecay;
  private long delivered;
  private long duplicates;
  private long rejected;
  private long ignored;
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
    this.signer = signer;
    this.verifier = verifier;
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
    // Sequence numbers start at the wall-clock time in nanoseconds, as go-libp2p does, so that a
    // restarted node does not reuse the ids of its earlier messages.
    this.nextSeqno = System.currentTimeMillis() * 1_000_000L;
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
      onMessage(peer, m);
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

  private void onMessage(PeerKey peer, RpcProto.Message m) {
    if (!m.hasTopic() || !state.joined.contains(m.getTopic())) {
      return; // pubsub spec: a router only processes messages of topics it subscribed to
    }
    String topic = m.getTopic();
    if (!m.hasFrom() || !m.hasSeqno() || m.getData().size() > params.maxMessageSize()) {
      rejected++;
      score.rejected(peer, null, topic);
      return;
    }
    byte[] from = m.getFrom().toByteArray();
    byte[] seqno = m.getSeqno().toByteArray();
    byte[] data = m.getData().toByteArray();
    byte[] rawId = params.messageIdFunction().messageId(from, seqno, topic, data);
    MessageId id = MessageId.of(rawId);
    promises.delivered(id);
    if (seen.contains(id)) {
      duplicates++;
      score.duplicate(peer, id, topic);
      return;
    }
    // The signature is checked before the id is marked seen: otherwise a forged copy carrying a
    // genuine message's from/seqno would make us drop the genuine one.
    String violation = StrictSign.violation(m, verifier);
    if (violation != null) {
      rejected++;
      log.debug("message from {} fails StrictSign: {}", peer, violation);
      score.rejected(peer, null, topic);
      return;
    }
    seen.add(id, loop.nowMillis());
    PeerKey author = PeerKey.of(from);
    if (author.equals(self)) {
      return;
    }
    score.validating(id);
    PubsubMessage message = new PubsubMessage(topic, data, author, seqno, rawId, peer);
    validate(message)
        .whenComplete(
            (verdict, error) ->
                loop.execute(
                    () -> {
                      finishValidation(
                          peer, id, m, message, error == null ? verdict : ValidationResult.IGNORE);
                      outbox.flush();
                    }));
  }

  private CompletionStage<ValidationResult> validate(PubsubMessage message) {
    MessageValidator validator = validators.get(message.topic());
    if (validator == null) {
      return CompletableFuture.completedFuture(ValidationResult.ACCEPT);
    }
    try {
      CompletionStage<ValidationResult> stage = validator.validate(message);
      return stage == null
          ? CompletableFuture.completedFuture(ValidationResult.IGNORE)
          : stage.thenApply(v -> v == null ? ValidationResult.IGNORE : v);
    } catch (RuntimeException e) {
      log.warn("validator for topic {} failed", message.topic(), e);
      return CompletableFuture.completedFuture(ValidationResult.IGNORE);
    }
  }

  private void finishValidation(
      PeerKey peer, MessageId id, RpcProto.Message m, PubsubMessage message, ValidationResult r) {
    if (closed) {
      return;
    }
    String topic = message.topic();
    switch (r) {
      case ACCEPT -> {
        delivered++;
        score.delivered(peer, id, topic);
        mcache.put(id, m);
        deliverLocally(message);
        for (PeerKey p : state.meshOf(topic)) {
          if (!p.equals(peer) && !p.equals(message.from())) {
            outbox.message(p, m);
          }
        }
      }
      case REJECT -> {
        rejected++;
        score.rejected(peer, id, topic);
      }
      case IGNORE -> {
        ignored++;
        score.ignored(id);
      }
    }
  }

  private void deliverLocally(PubsubMessage message) {
    for (Consumer<PubsubMessage> handler : handlers.getOrDefault(message.topic(), List.of())) {
      try {
        handler.accept(message);
      } catch (RuntimeException e) {
        log.warn("subscriber of topic {} failed", message.topic(), e);
      }
    }
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

  @Override
  public CompletionStage<PublishResult> publish(String topic, byte[] data) {
    requireTopic(topic);
    CompletableFuture<PublishResult> result = new CompletableFuture<>();
    if (data.length > params.maxMessageSize()) {
      result.completeExceptionally(
          new PubsubException(
              "message of " + data.length + " bytes exceeds " + params.maxMessageSize()));
      return result;
    }
    byte[] payload = data.clone();
    loop.execute(
        () -> {
          if (closed) {
            result.completeExceptionally(new PubsubException("router closed"));
            return;
          }
          RpcProto.Message unsigned =
              RpcProto.Message.newBuilder()
                  .setFrom(ByteString.copyFrom(signer.peerId()))
                  .setData(ByteString.copyFrom(payload))
                  .setSeqno(
                      ByteString.copyFrom(ByteBuffer.allocate(8).putLong(nextSeqno++).array()))
                  .setTopic(topic)
                  .build();
          RpcProto.Message signed = StrictSign.sign(unsigned, signer);
          byte[] rawId =
              params
                  .messageIdFunction()
                  .messageId(signer.peerId(), unsigned.getSeqno().toByteArray(), topic, payload);
          PubsubMessage own =
              new PubsubMessage(
                  topic, payload, self, unsigned.getSeqno().toByteArray(), rawId, self);
          validate(own)
              .whenComplete(
                  (verdict, error) ->
                      loop.execute(
                          () -> {
                            if (error != null || verdict != ValidationResult.ACCEPT) {
                              result.completeExceptionally(
                                  new PubsubException(
                                      "the topic's validator did not accept our message"));
                              return;
                            }
                            result.complete(send(topic, signed, MessageId.of(rawId), rawId));
                            outbox.flush();
                          }));
        });
    return result;
  }

  /**
   * Sends our own message: to every topic peer above the publish threshold with flood publishing
   * (gossipsub-v1.1.md "Flood Publishing"), else to the mesh, or to the fanout for a topic we have
   * not joined.
   */
  private PublishResult send(String topic, RpcProto.Message m, MessageId id, byte[] rawId) {
    long now = loop.nowMillis();
    seen.add(id, now);
    mcache.put(id, m);
    Set<PeerKey> recipients = new LinkedHashSet<>();
    if (params.floodPublish()) {
      for (PeerKey p : state.peersOf(topic)) {
        if (score.score(p) >= thresholds.publishThreshold()) {
          recipients.add(p);
        }
      }
    } else if (state.joined.contains(topic)) {
      recipients.addAll(state.meshOf(topic));
    } else {
      Set<PeerKey> fanout = state.fanout.computeIfAbsent(topic, t -> new HashSet<>());
      if (fanout.isEmpty()) {
        for (PeerKey p : state.peersOf(topic)) {
          if (fanout.size() < params.d() && score.score(p) >= thresholds.publishThreshold()) {
            fanout.add(p);
          }
        }
      }
      state.fanoutLastPublished.put(topic, now);
      recipients.addAll(fanout);
    }
    for (PeerKey p : recipients) {
      outbox.message(p, m);
    }
    return new PublishResult(rawId, recipients.size());
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
            new PubsubStats(delivered, duplicates, rejected, ignored, graylistedDrops, malformed));
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
