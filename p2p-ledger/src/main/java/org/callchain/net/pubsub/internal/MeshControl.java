package org.callchain.net.pubsub.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreThresholds;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * The control plane of gossipsub: our own GRAFT/PRUNE decisions and the handling of the peers'
 * GRAFT, PRUNE, IHAVE and IWANT (gossipsub-v1.0.md "Control Messages", gossipsub-v1.1.md "Prune
 * Backoff and Peer Exchange", "Spam Protection Measures").
 */
final class MeshControl {
  private final GossipParams params;
  private final PeerScoreThresholds thresholds;
  private final MeshState state;
  private final PeerScore score;
  private final RpcOutbox outbox;
  private final MessageCache mcache;
  private final SeenCache seen;
  private final GossipPromises promises;
  private final RandomGenerator random;
  private final LongSupplier clock;
  private final Consumer<List<PeerKey>> exchangedPeers;
  private final Map<PeerKey, Integer> iHavesThisHeartbeat = new HashMap<>();
  private final Map<PeerKey, Integer> idsAskedThisHeartbeat = new HashMap<>();

  MeshControl(
      GossipParams params,
      PeerScoreThresholds thresholds,
      MeshState state,
      PeerScore score,
      RpcOutbox outbox,
      MessageCache mcache,
      SeenCache seen,
      GossipPromises promises,
      RandomGenerator random,
      LongSupplier clock,
      Consumer<List<PeerKey>> exchangedPeers) {
    this.params = params;
    this.thresholds = thresholds;
    this.state = state;
    this.score = score;
    this.outbox = outbox;
    this.mcache = mcache;
    this.seen = seen;
    this.promises = promises;
    this.random = random;
    this.clock = clock;
    this.exchangedPeers = exchangedPeers;
  }

  /** Adds the peer to our mesh for the topic and tells it so. */
  void graft(PeerKey peer, String topic) {
    if (state.mesh.computeIfAbsent(topic, t -> new HashSet<>()).add(peer)) {
      score.graft(peer, topic);
      outbox.graft(peer, topic);
    }
  }

  /**
   * Removes the peer from our mesh (if there) and sends PRUNE with the backoff we will honour
   * ourselves: we do not graft it again before the backoff ends.
   */
  void prune(PeerKey peer, String topic, long backoffMillis, boolean exchange) {
    Set<PeerKey> mesh = state.mesh.get(topic);
    if (mesh != null && mesh.remove(peer)) {
      score.prune(peer, topic);
    }
    state.addBackoff(topic, peer, clock.getAsLong() + backoffMillis);
    List<PeerKey> px =
        exchange && params.doPeerExchange() && score.score(peer) >= 0
            ? exchangeCandidates(peer, topic)
            : List.of();
    outbox.prune(peer, topic, Math.max(1, backoffMillis / 1000), px);
  }

  private List<PeerKey> exchangeCandidates(PeerKey excluded, String topic) {
    List<PeerKey> candidates = new ArrayList<>();
    for (PeerKey p : state.peersOf(topic)) {
      if (!p.equals(excluded) && score.score(p) >= 0) {
        candidates.add(p);
      }
    }
    Collections.shuffle(candidates, new java.util.Random(random.nextLong()));
    return candidates.subList(0, Math.min(params.prunePeers(), candidates.size()));
  }

  /**
   * A peer wants into our mesh (gossipsub-v1.1.md "GRAFT"): refused (answered with PRUNE) when we
   * did not join the topic, the peer is in backoff (a protocol violation, P7 penalty, doubled when
   * it comes within the flood threshold of our PRUNE), has a negative score, or the mesh is full
   * and the peer is not outbound.
   */
  void handleGraft(PeerKey peer, List<RpcProto.ControlGraft> grafts) {
    long now = clock.getAsLong();
    for (RpcProto.ControlGraft g : grafts) {
      String topic = g.getTopicID();
      if (!state.joined.contains(topic)) {
        continue; // spam hardening: no answer, and no peer exchange, for unknown topics
      }
      Set<PeerKey> mesh = state.mesh.computeIfAbsent(topic, t -> new HashSet<>());
      if (mesh.contains(peer)) {
        continue;
      }
      if (state.inBackoff(topic, peer, now)) {
        score.addPenalty(peer, 1);
        long prunedAt = state.backoffUntil(topic, peer) - params.pruneBackoff().toMillis();
        if (now < prunedAt + params.graftFloodThreshold().toMillis()) {
          score.addPenalty(peer, 1);
        }
        prune(peer, topic, params.pruneBackoff().toMillis(), false);
        continue;
      }
      if (score.score(peer) < 0) {
        prune(peer, topic, params.pruneBackoff().toMillis(), false);
        continue;
      }
      if (mesh.size() >= params.dHigh() && !state.isOutbound(peer)) {
        prune(peer, topic, params.pruneBackoff().toMillis(), true);
        continue;
      }
      mesh.add(peer);
      score.graft(peer, topic);
    }
  }

  /** A peer left our mesh; we honour the backoff it asked for (or our default). */
  void handlePrune(PeerKey peer, List<RpcProto.ControlPrune> prunes) {
    long now = clock.getAsLong();
    for (RpcProto.ControlPrune p : prunes) {
      String topic = p.getTopicID();
      Set<PeerKey> mesh = state.mesh.get(topic);
      if (mesh != null && mesh.remove(peer)) {
        score.prune(peer, topic);
      }
      long backoff =
          p.hasBackoff()
              ? Math.min(p.getBackoff(), 24 * 3600) * 1000
              : params.pruneBackoff().toMillis();
      state.addBackoff(topic, peer, now + backoff);
      if (p.getPeersCount() > 0
          && params.doPeerExchange()
          && score.score(peer) >= thresholds.acceptPxThreshold()) {
        List<PeerKey> learned = new ArrayList<>();
        for (RpcProto.PeerInfo info : p.getPeersList()) {
          if (info.hasPeerID() && !info.getPeerID().isEmpty()) {
            learned.add(PeerKey.of(info.getPeerID().toByteArray()));
          }
        }
        exchangedPeers.accept(learned.subList(0, Math.min(learned.size(), params.prunePeers())));
      }
    }
  }

  /**
   * Gossip from a peer: request the advertised messages we have not seen, within the per-heartbeat
   * limits, and remember that the peer promised one of them.
   */
  void handleIHave(PeerKey peer, List<RpcProto.ControlIHave> ihaves) {
    if (score.score(peer) < thresholds.gossipThreshold()) {
      return;
    }
    int received = iHavesThisHeartbeat.merge(peer, 1, Integer::sum);
    int asked = idsAskedThisHeartbeat.getOrDefault(peer, 0);
    if (received > params.maxIHaveMessages() || asked >= params.maxIHaveLength()) {
      return;
    }
    Set<MessageId> wanted = new HashSet<>();
    for (RpcProto.ControlIHave ihave : ihaves) {
      if (!state.joined.contains(ihave.getTopicID())) {
        continue;
      }
      for (com.google.protobuf.ByteString raw : ihave.getMessageIDsList()) {
        MessageId id = new MessageId(raw);
        if (!seen.contains(id)) {
          wanted.add(id);
        }
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    List<MessageId> ids = new ArrayList<>(wanted);
    Collections.shuffle(ids, new java.util.Random(random.nextLong()));
    ids = ids.subList(0, Math.min(ids.size(), params.maxIHaveLength() - asked));
    idsAskedThisHeartbeat.put(peer, asked + ids.size());
    promises.expect(peer, ids, clock.getAsLong());
    outbox.iwant(peer, ids);
  }

  /** A peer asks for messages we advertised: send those still cached, a bounded number of times. */
  void handleIWant(PeerKey peer, List<RpcProto.ControlIWant> iwants) {
    if (score.score(peer) < thresholds.gossipThreshold()) {
      return;
    }
    for (RpcProto.ControlIWant iwant : iwants) {
      for (com.google.protobuf.ByteString raw : iwant.getMessageIDsList()) {
        RpcProto.Message m =
            mcache.getForPeer(new MessageId(raw), peer, params.gossipRetransmission());
        if (m != null) {
          outbox.message(peer, m);
        }
      }
    }
  }

  void resetHeartbeatCounters() {
    iHavesThisHeartbeat.clear();
    idsAskedThisHeartbeat.clear();
  }
}
