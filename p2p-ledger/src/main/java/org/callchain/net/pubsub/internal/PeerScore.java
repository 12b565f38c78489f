package org.callchain.net.pubsub.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.TopicScoreParams;

/**
 * The gossipsub v1.1 score of every peer (gossipsub-v1.1.md "Peer Scoring"): per-topic counters for
 * time in mesh (P1), first deliveries (P2), mesh delivery deficit (P3) and its sticky failure
 * penalty (P3b), invalid messages (P4); the application's score (P5), IP colocation (P6) and
 * behaviour penalties (P7). Counters decay every decay interval ({@link #refresh()}).
 *
 * <p>Message deliveries are tracked per message id so that peers who deliver a message while it is
 * still being validated are credited (or penalised) once the verdict is known ("Message Deliveries"
 * in the same section).
 */
final class PeerScore {
  private final PeerScoreParams params;
  private final LongSupplier clock;
  private final long deliveryRecordTtl;
  private final Map<PeerKey, PeerStats> peers = new HashMap<>();
  private final Map<String, Set<PeerKey>> peersByIp = new HashMap<>();
  private final LinkedHashMap<MessageId, DeliveryRecord> deliveries = new LinkedHashMap<>();

  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    boolean meshDeliveriesActive;
    double firstMessageDeliveries;
    double meshMessageDeliveries;
    double meshFailurePenalty;
    double invalidMessageDeliveries;
  }

  private static final class PeerStats {
    boolean connected = true;
    long expire;
    String ip;
    double behaviourPenalty;
    final Map<String, TopicStats> topics = new HashMap<>();
  }

  private enum DeliveryStatus {
    VALIDATING,
    VALID,
    INVALID,
    IGNORED
  }

  private static final class DeliveryRecord {
    DeliveryStatus status = DeliveryStatus.VALIDATING;
    long validated;
    final long expire;
    final Set<PeerKey> peers = new HashSet<>();

    DeliveryRecord(long expire) {
      this.expire = expire;
    }
  }

  PeerScore(PeerScoreParams params, LongSupplier clock, long deliveryRecordTtl) {
    this.params = params;
    this.clock = clock;
    this.deliveryRecordTtl = deliveryRecordTtl;
  }

  void addPeer(PeerKey peer, Optional<String> ip) {
    PeerStats stats = peers.computeIfAbsent(peer, p -> new PeerStats());
    stats.connected = true;
    stats.ip = ip.orElse(null);
    if (stats.ip != null) {
      peersByIp.computeIfAbsent(stats.ip, k -> new HashSet<>()).add(peer);
    }
  }

  /**
   * A disconnected peer's positive score is forgotten; a non-positive one is retained for {@code
   * retainScore}, so that reconnecting does not wash away a penalty.
   */
  void removePeer(PeerKey peer) {
    PeerStats stats = peers.get(peer);
    if (stats == null) {
      return;
    }
    if (stats.ip != null) {
      Set<PeerKey> sharing = peersByIp.get(stats.ip);
      if (sharing != null) {
        sharing.remove(peer);
        if (sharing.isEmpty()) {
          peersByIp.remove(stats.ip);
        }
      }
      stats.ip = null;
    }
    if (score(peer) > 0) {
      peers.remove(peer);
      return;
    }
    stats.topics.forEach((topic, ts) -> leaveMesh(topic, ts));
    stats.connected = false;
    stats.expire = clock.getAsLong() + params.retainScore().toMillis();
  }

  void graft(PeerKey peer, String topic) {
    TopicStats ts = topicStats(peer, topic);
    if (ts != null) {
      ts.inMesh = true;
      ts.graftTime = clock.getAsLong();
      ts.meshDeliveriesActive = false;
    }
  }

  void prune(PeerKey peer, String topic) {
    TopicStats ts = topicStats(peer, topic);
    if (ts != null) {
      leaveMesh(topic, ts);
    }
  }

  /** P3b: leaving the mesh with a delivery deficit makes the deficit's square sticky. */
  private void leaveMesh(String topic, TopicStats ts) {
    params
        .topic(topic)
        .ifPresent(
            tp -> {
              if (ts.inMesh
                  && ts.meshDeliveriesActive
                  && ts.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
                double deficit = tp.meshMessageDeliveriesThreshold() - ts.meshMessageDeliveries;
                ts.meshFailurePenalty += deficit * deficit;
              }
            });
    ts.inMesh = false;
    ts.meshDeliveriesActive = false; // P3 applies only while in the mesh; P3b takes over
  }

  /** A new message entered validation. */
  void validating(MessageId id) {
    deliveries.putIfAbsent(id, new DeliveryRecord(clock.getAsLong() + deliveryRecordTtl));
  }

  /** The message was accepted: credit its first deliverer and the peers that sent it meanwhile. */
  void delivered(PeerKey from, MessageId id, String topic) {
    markFirstDelivery(from, topic);
    DeliveryRecord rec = deliveries.get(id);
    if (rec == null) {
      return;
    }
    rec.status = DeliveryStatus.VALID;
    rec.validated = clock.getAsLong();
    for (PeerKey p : rec.peers) {
      if (!p.equals(from)) {
        markDuplicateDelivery(p, topic, 0);
      }
    }
  }

  /** The message was rejected: P4 for its sender and for every peer that sent it meanwhile. */
  void rejected(PeerKey from, MessageId id, String topic) {
    markInvalidDelivery(from, topic);
    DeliveryRecord rec = id == null ? null : deliveries.get(id);
    if (rec == null) {
      return;
    }
    rec.status = DeliveryStatus.INVALID;
    for (PeerKey p : rec.peers) {
      markInvalidDelivery(p, topic);
    }
    rec.peers.clear();
  }

  /** The message was ignored: nobody is credited or penalised. */
  void ignored(MessageId id) {
    DeliveryRecord rec = deliveries.get(id);
    if (rec != null) {
      rec.status = DeliveryStatus.IGNORED;
      rec.peers.clear();
    }
  }

  /** A peer sent a message we had already seen. */
  void duplicate(PeerKey from, MessageId id, String topic) {
    DeliveryRecord rec = deliveries.get(id);
    if (rec == null || !rec.peers.add(from)) {
      return;
    }
    switch (rec.status) {
      case VALIDATING -> {}
      case VALID -> markDuplicateDelivery(from, topic, rec.validated);
      case INVALID -> markInvalidDelivery(from, topic);
      case IGNORED -> {}
    }
  }

  /** P7: a protocol violation (GRAFT during backoff, broken IHAVE promise, ...). */
  void addPenalty(PeerKey peer, double count) {
    PeerStats stats = peers.get(peer);
    if (stats != null) {
      stats.behaviourPenalty += count;
    }
  }

  double behaviourPenalty(PeerKey peer) {
    PeerStats stats = peers.get(peer);
    return stats == null ? 0 : stats.behaviourPenalty;
  }

  private void markFirstDelivery(PeerKey peer, String topic) {
    TopicStats ts = topicStats(peer, topic);
    if (ts == null) {
      return;
    }
    TopicScoreParams tp = params.topic(topic).orElseThrow();
    ts.firstMessageDeliveries =
        Math.min(tp.firstMessageDeliveriesCap(), ts.firstMessageDeliveries + 1);
    if (ts.inMesh) {
      ts.meshMessageDeliveries =
          Math.min(tp.meshMessageDeliveriesCap(), ts.meshMessageDeliveries + 1);
    }
  }

  /** P3 also counts near-first deliveries by mesh peers, within the delivery window. */
  private void markDuplicateDelivery(PeerKey peer, String topic, long validatedAt) {
    TopicStats ts = topicStats(peer, topic);
    if (ts == null || !ts.inMesh) {
      return;
    }
    TopicScoreParams tp = params.topic(topic).orElseThrow();
    long now = clock.getAsLong();
    if (validatedAt != 0 && now - validatedAt > tp.meshMessageDeliveriesWindow().toMillis()) {
      return;
    }
    ts.meshMessageDeliveries =
        Math.min(tp.meshMessageDeliveriesCap(), ts.meshMessageDeliveries + 1);
  }

  private void markInvalidDelivery(PeerKey peer, String topic) {
    TopicStats ts = topicStats(peer, topic);
    if (ts != null) {
      ts.invalidMessageDeliveries += 1;
    }
  }

  private TopicStats topicStats(PeerKey peer, String topic) {
    PeerStats stats = peers.get(peer);
    if (stats == null || params.topic(topic).isEmpty()) {
      return null;
    }
    return stats.topics.computeIfAbsent(topic, t -> new TopicStats());
  }

  double score(PeerKey peer) {
    PeerStats stats = peers.get(peer);
    if (stats == null) {
      return 0;
    }
    long now = clock.getAsLong();
    double score = 0;
    for (Map.Entry<String, TopicStats> e : stats.topics.entrySet()) {
      Optional<TopicScoreParams> maybe = params.topic(e.getKey());
      if (maybe.isEmpty()) {
        continue;
      }
      TopicScoreParams tp = maybe.get();
      TopicStats ts = e.getValue();
      double topicScore = 0;
      if (ts.inMesh) {
        double quanta = (double) (now - ts.graftTime) / tp.timeInMeshQuantum().toMillis();
        topicScore += Math.min(quanta, tp.timeInMeshCap()) * tp.timeInMeshWeight();
      }
      topicScore += ts.firstMessageDeliveries * tp.firstMessageDeliveriesWeight();
      if (ts.meshDeliveriesActive
          && ts.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
        double deficit = tp.meshMessageDeliveriesThreshold() - ts.meshMessageDeliveries;
        topicScore += deficit * deficit * tp.meshMessageDeliveriesWeight();
      }
      topicScore += ts.meshFailurePenalty * tp.meshFailurePenaltyWeight();
      topicScore +=
          ts.invalidMessageDeliveries
              * ts.invalidMessageDeliveries
              * tp.invalidMessageDeliveriesWeight();
      score += topicScore * tp.topicWeight();
    }
    if (params.topicScoreCap() > 0 && score > params.topicScoreCap()) {
      score = params.topicScoreCap();
    }
    score += params.appSpecificScore().applyAsDouble(peer) * params.appSpecificWeight();
    score += ipColocationSurplusSquared(stats) * params.ipColocationFactorWeight();
    double excess = stats.behaviourPenalty - params.behaviourPenaltyThreshold();
    if (excess > 0) {
      score += excess * excess * params.behaviourPenaltyWeight();
    }
    return score;
  }

  private double ipColocationSurplusSquared(PeerStats stats) {
    if (stats.ip == null || isExempt(stats.ip)) {
      return 0;
    }
    int sharing = peersByIp.getOrDefault(stats.ip, Set.of()).size();
    int surplus = sharing - params.ipColocationFactorThreshold();
    return surplus > 0 ? (double) surplus * surplus : 0;
  }

  private boolean isExempt(String ip) {
    return ip.startsWith("127.")
        || ip.equals("::1")
        || ip.equals("0:0:0:0:0:0:0:1")
        || params.ipColocationWhitelist().contains(ip);
  }

  /** Decays every counter, activates P3 for peers long enough in a mesh, forgets old records. */
  void refresh() {
    long now = clock.getAsLong();
    Iterator<Map.Entry<PeerKey, PeerStats>> it = peers.entrySet().iterator();
    while (it.hasNext()) {
      PeerStats stats = it.next().getValue();
      if (!stats.connected) {
        if (now > stats.expire) {
          it.remove();
        }
        continue;
      }
      stats.topics.forEach(
          (topic, ts) ->
              params
                  .topic(topic)
                  .ifPresent(
                      tp -> {
                        ts.firstMessageDeliveries =
                            decay(ts.firstMessageDeliveries, tp.firstMessageDeliveriesDecay());
                        ts.meshMessageDeliveries =
                            decay(ts.meshMessageDeliveries, tp.meshMessageDeliveriesDecay());
                        ts.meshFailurePenalty =
                            decay(ts.meshFailurePenalty, tp.meshFailurePenaltyDecay());
                        ts.invalidMessageDeliveries =
                            decay(ts.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay());
                        if (ts.inMesh
                            && now - ts.graftTime
                                > tp.meshMessageDeliveriesActivation().toMillis()) {
                          ts.meshDeliveriesActive = true;
                        }
                      }));
      stats.behaviourPenalty = decay(stats.behaviourPenalty, params.behaviourPenaltyDecay());
    }
    Iterator<DeliveryRecord> records = deliveries.values().iterator();
    while (records.hasNext() && records.next().expire < now) {
      records.remove();
    }
  }

  private double decay(double value, double factor) {
    double decayed = value * factor;
    return decayed < params.decayToZero() ? 0 : decayed;
  }
}
