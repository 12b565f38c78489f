package org.callchain.net.pubsub.internal;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.callchain.net.pubsub.EventLoop;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.MessageSigner;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.PublishResult;
import org.callchain.net.pubsub.PubsubException;
import org.callchain.net.pubsub.PubsubMessage;
import org.callchain.net.pubsub.ValidationResult;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * Our own messages: numbered, signed (StrictSign), put through the topic's validator like any
 * other, then sent to the topic's peers, mesh or fanout. Runs on the router's event loop.
 */
final class PublishedMessages {
  private final GossipParams params;
  private final PeerScoreThresholds thresholds;
  private final MeshState state;
  private final SeenCache seen;
  private final MessageCache mcache;
  private final PeerScore score;
  private final RpcOutbox outbox;
  private final MessageSigner signer;
  private final EventLoop loop;
  private final PeerKey self;
  private final ReceivedMessages received;
  private final BooleanSupplier closed;
  private long nextSeqno;

  PublishedMessages(
      GossipParams params,
      PeerScoreThresholds thresholds,
      MeshState state,
      SeenCache seen,
      MessageCache mcache,
      PeerScore score,
      RpcOutbox outbox,
      MessageSigner signer,
      EventLoop loop,
      ReceivedMessages received,
      BooleanSupplier closed) {
    this.params = params;
    this.thresholds = thresholds;
    this.state = state;
    this.seen = seen;
    this.mcache = mcache;
    this.score = score;
    this.outbox = outbox;
    this.signer = signer;
    this.loop = loop;
    this.self = PeerKey.of(signer.peerId());
    this.received = received;
    this.closed = closed;
    // Sequence numbers start at the wall-clock time in nanoseconds, as go-libp2p does, so that a
    // restarted node does not reuse the ids of its earlier messages.
    this.nextSeqno = System.currentTimeMillis() * 1_000_000L;
  }

  /** Signs, validates and sends our own message (gossipsub-v1.1.md "Flood Publishing"). */
  CompletionStage<PublishResult> publish(String topic, byte[] data) {
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
          if (closed.getAsBoolean()) {
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
          received
              .validate(own)
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
}
