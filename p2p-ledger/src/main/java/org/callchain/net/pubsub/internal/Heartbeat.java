package org.callchain.net.pubsub.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.callchain.net.pubsub.GossipParams;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreThresholds;

/**
 * One gossipsub heartbeat (gossipsub-v1.0.md "Heartbeat", gossipsub-v1.1.md "Heartbeat
 * Maintenance"): keeps every mesh within [D_low, D_high] with at least D_out outbound peers and
 * without negative-score peers, grafts opportunistically when the mesh's median score is low,
 * maintains fanout, emits IHAVE gossip and shifts the message cache.
 */
final class Heartbeat {
  private final GossipParams params;
  private final PeerScoreThresholds thresholds;
  private final MeshState state;
  private final PeerScore score;
  private final MeshControl control;
  private final RpcOutbox outbox;
  private final MessageCache mcache;
  private final GossipPromises promises;
  private final RandomGenerator random;
  private final LongSupplier clock;
  private long ticks;

  Heartbeat(
      GossipParams params,
      PeerScoreThresholds thresholds,
      MeshState state,
      PeerScore score,
      MeshControl control,
      RpcOutbox outbox,
      MessageCache mcache,
      GossipPromises promises,
      RandomGenerator random,
      LongSupplier clock) {
    this.params = params;
    this.thresholds = thresholds;
    this.state = state;
    this.score = score;
    this.control = control;
    this.outbox = outbox;
    this.mcache = mcache;
    this.promises = promises;
    this.random = random;
    this.clock = clock;
  }

  void run() {
    ticks++;
    long now = clock.getAsLong();
    control.resetHeartbeatCounters();
    promises.takeBroken(now).forEach(score::addPenalty);
    state.clearExpiredBackoff(now, params.heartbeatInterval().toMillis());
    Map<PeerKey, Double> scores = new HashMap<>();
    for (String topic : state.joined) {
      maintainMesh(topic, now, p -> scores.computeIfAbsent(p, score::score));
    }
    maintainFanout(now, p -> scores.computeIfAbsent(p, score::score));
    emitGossip(p -> scores.computeIfAbsent(p, score::score));
    mcache.shift();
  }

  private interface Scores {
    double of(PeerKey peer);
  }

  private void maintainMesh(String topic, long now, Scores scores) {
    Set<PeerKey> mesh = state.mesh.computeIfAbsent(topic, t -> new HashSet<>());
    long backoff = params.pruneBackoff().toMillis();

    for (PeerKey p : List.copyOf(mesh)) {
      if (scores.of(p) < 0) {
        control.prune(p, topic, backoff, false);
      }
    }

    if (mesh.size() < params.dLow()) {
      List<PeerKey> candidates =
          candidates(
              topic,
              p -> !mesh.contains(p) && !state.inBackoff(topic, p, now) && scores.of(p) >= 0);
      int needed = params.d() - mesh.size();
      candidates.stream().limit(needed).forEach(p -> control.graft(p, topic));
    }

    if (mesh.size() > params.dHigh()) {
      shrink(topic, mesh, scores, backoff);
    }

    if (mesh.size() >= params.dLow()) {
      long outbound = mesh.stream().filter(state::isOutbound).count();
      if (outbound < params.dOut()) {
        candidates(
                topic,
                p ->
                    !mesh.contains(p)
                        && state.isOutbound(p)
                        && !state.inBackoff(topic, p, now)
                        && scores.of(p) >= 0)
            .stream()
            .limit(params.dOut() - outbound)
            .forEach(p -> control.graft(p, topic));
      }
    }

    if (ticks % params.opportunisticGraftTicks() == 0 && mesh.size() > 1) {
      List<Double> sorted = mesh.stream().map(scores::of).sorted().toList();
      double median = sorted.get(sorted.size() / 2);
      if (median < thresholds.opportunisticGraftThreshold()) {
        candidates(
                topic,
                p -> !mesh.contains(p) && !state.inBackoff(topic, p, now) && scores.of(p) > median)
            .stream()
            .limit(params.opportunisticGraftPeers())
            .forEach(p -> control.graft(p, topic));
      }
    }
  }

  /**
   * Prunes an oversubscribed mesh down to D: the D_score best-scoring peers stay, the rest of the D
   * are chosen at random, and outbound peers are swapped in until D_out of them remain.
   */
  private void shrink(String topic, Set<PeerKey> mesh, Scores scores, long backoff) {
    List<PeerKey> ranked = shuffled(mesh);
    ranked.sort(Comparator.comparingDouble((PeerKey p) -> scores.of(p)).reversed());
    List<PeerKey> keep = new ArrayList<>(ranked.subList(0, params.dScore()));
    List<PeerKey> rest = shuffled(ranked.subList(params.dScore(), ranked.size()));
    keep.addAll(rest.subList(0, params.d() - params.dScore()));
    List<PeerKey> dropped =
        new ArrayList<>(rest.subList(params.d() - params.dScore(), rest.size()));

    long outbound = keep.stream().filter(state::isOutbound).count();
    if (outbound < params.dOut()) {
      Iterator<PeerKey> spare = dropped.stream().filter(state::isOutbound).toList().iterator();
      for (int i = keep.size() - 1;
          i >= params.dScore() && outbound < params.dOut() && spare.hasNext();
          i--) {
        PeerKey candidate = keep.get(i);
        if (!state.isOutbound(candidate)) {
          PeerKey in = spare.next();
          keep.set(i, in);
          dropped.remove(in);
          dropped.add(candidate);
          outbound++;
        }
      }
    }
    for (PeerKey p : dropped) {
      control.prune(p, topic, backoff, true);
    }
  }

  private void maintainFanout(long now, Scores scores) {
    long ttl = params.fanoutTtl().toMillis();
    Iterator<Map.Entry<String, Set<PeerKey>>> it = state.fanout.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Set<PeerKey>> e = it.next();
      String topic = e.getKey();
      long last = state.fanoutLastPublished.getOrDefault(topic, 0L);
      if (last + ttl < now) {
        it.remove();
        state.fanoutLastPublished.remove(topic);
        continue;
      }
      Set<PeerKey> fanout = e.getValue();
      fanout.removeIf(
          p -> !state.peersOf(topic).contains(p) || scores.of(p) < thresholds.publishThreshold());
      if (fanout.size() < params.d()) {
        candidates(topic, p -> !fanout.contains(p) && scores.of(p) >= thresholds.publishThreshold())
            .stream()
            .limit(params.d() - fanout.size())
            .forEach(fanout::add);
      }
    }
  }

  /**
   * IHAVE for the gossip windows of every mesh and fanout topic, to at least D_lazy (or
   * gossip_factor of the eligible) peers outside the mesh whose score reaches the gossip threshold
   * (gossipsub-v1.1.md "Adaptive Gossip Dissemination").
   */
  private void emitGossip(Scores scores) {
    Set<String> topics = new LinkedHashSet<>(state.joined);
    topics.addAll(state.fanout.keySet());
    for (String topic : topics) {
      List<MessageId> ids = mcache.gossipIds(topic);
      if (ids.isEmpty()) {
        continue;
      }
      Set<PeerKey> exclude = new HashSet<>(state.meshOf(topic));
      exclude.addAll(state.fanout.getOrDefault(topic, Set.of()));
      List<PeerKey> eligible =
          candidates(
              topic, p -> !exclude.contains(p) && scores.of(p) >= thresholds.gossipThreshold());
      int target =
          Math.max(params.dLazy(), (int) Math.ceil(params.gossipFactor() * eligible.size()));
      List<MessageId> advertised = ids;
      if (ids.size() > params.maxIHaveLength()) {
        advertised = shuffled(ids).subList(0, params.maxIHaveLength());
      }
      for (PeerKey p : eligible.subList(0, Math.min(target, eligible.size()))) {
        outbox.ihave(p, topic, advertised);
      }
    }
  }

  private List<PeerKey> candidates(String topic, Predicate<PeerKey> filter) {
    List<PeerKey> out = new ArrayList<>();
    for (PeerKey p : state.peersOf(topic)) {
      if (filter.test(p)) {
        out.add(p);
      }
    }
    Collections.sort(out);
    Collections.shuffle(out, new Random(random.nextLong()));
    return out;
  }

  private <T> List<T> shuffled(java.util.Collection<T> items) {
    List<T> out = new ArrayList<>(items);
    if (!out.isEmpty() && out.get(0) instanceof Comparable<?>) {
      out.sort(null);
    }
    Collections.shuffle(out, new Random(random.nextLong()));
    return out;
  }
}
