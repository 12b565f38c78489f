package org.callchain.net.pubsub.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.callchain.net.pubsub.EventLoop;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.MessageValidator;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.SignatureVerifier;
import org.callchain.net.pubsub.ValidationResult;
import org.callchain.net.pubsub.internal.proto.RpcProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of a message received from a peer (pubsub spec "Message processing", gossipsub-v1.1.md
 * "Extended Validators"): topic filter, size and field checks, seen-cache, StrictSign, the topic's
 * validator, then local delivery and forwarding to the mesh for ACCEPTed messages only. Runs on the
 * router's event loop and keeps the router's message counters.
 */
final class ReceivedMessages {
  private static final Logger log = LoggerFactory.getLogger(ReceivedMessages.class);

  private final GossipParams params;
  private final MeshState state;
  private final SeenCache seen;
  private final MessageCache mcache;
  private final GossipPromises promises;
  private final PeerScore score;
  private final RpcOutbox outbox;
  private final SignatureVerifier verifier;
  private final EventLoop loop;
  private final PeerKey self;
  private final Map<String, List<Consumer<PubsubMessage>>> handlers;
  private final Map<String, MessageValidator> validators;
  private final BooleanSupplier closed;
  long delivered;
  long duplicates;
  long rejected;
  long ignored;

  ReceivedMessages(
      GossipParams params,
      MeshState state,
      SeenCache seen,
      MessageCache mcache,
      GossipPromises promises,
      PeerScore score,
      RpcOutbox outbox,
      SignatureVerifier verifier,
      EventLoop loop,
      PeerKey self,
      Map<String, List<Consumer<PubsubMessage>>> handlers,
      Map<String, MessageValidator> validators,
      BooleanSupplier closed) {
    this.params = params;
    this.state = state;
    this.seen = seen;
    this.mcache = mcache;
    this.promises = promises;
    this.score = score;
    this.outbox = outbox;
    this.verifier = verifier;
    this.loop = loop;
    this.self = self;
    this.handlers = handlers;
    this.validators = validators;
    this.closed = closed;
  }

  /** Handles one message of an RPC from {@code peer}, on the event loop. */
  void onMessage(PeerKey peer, RpcProto.Message m) {
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

  /** Runs the topic's validator; a missing validator accepts, a failing one ignores. */
  CompletionStage<ValidationResult> validate(PubsubMessage message) {
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
    if (closed.getAsBoolean()) {
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
}
