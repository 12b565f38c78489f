package org.callchain.net.pubsub.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.callchain.net.pubsub.PeerConnection;
import org.callchain.net.pubsub.PeerKey;

/**
 * What a gossipsub router knows about its neighbourhood (gossipsub-v1.0.md "Router State"): the
 * connected peers and the topics each announced, our mesh per joined topic, fanout per topic we
 * publish to without joining, and the backoff that forbids re-grafting a pruned peer.
 */
final class MeshState {
  final Map<PeerKey, PeerConnection> connections = new HashMap<>();
  final Map<PeerKey, Set<String>> peerTopics = new HashMap<>();
  final Map<String, Set<PeerKey>> topicPeers = new HashMap<>();
  final Set<String> joined = new LinkedHashSet<>();
  final Map<String, Set<PeerKey>> mesh = new HashMap<>();
  final Map<String, Set<PeerKey>> fanout = new HashMap<>();
  final Map<String, Long> fanoutLastPublished = new HashMap<>();
  private final Map<String, Map<PeerKey, Long>> backoff = new HashMap<>();

  Set<PeerKey> peersOf(String topic) {
    return topicPeers.getOrDefault(topic, Set.of());
  }

  Set<PeerKey> meshOf(String topic) {
    return mesh.getOrDefault(topic, Set.of());
  }

  boolean isOutbound(PeerKey peer) {
    PeerConnection c = connections.get(peer);
    return c != null && c.outbound();
  }

  void addPeer(PeerKey peer, PeerConnection connection) {
    connections.put(peer, connection);
    peerTopics.computeIfAbsent(peer, p -> new HashSet<>());
  }

  /** Forgets a peer everywhere except in backoff, which outlives the connection. */
  void removePeer(PeerKey peer) {
    connections.remove(peer);
    Set<String> topics = peerTopics.remove(peer);
    if (topics != null) {
      for (String t : topics) {
        Set<PeerKey> s = topicPeers.get(t);
        if (s != null) {
          s.remove(peer);
          if (s.isEmpty()) {
            topicPeers.remove(t);
          }
        }
      }
    }
    mesh.values().forEach(s -> s.remove(peer));
    fanout.values().forEach(s -> s.remove(peer));
  }

  void peerSubscribed(PeerKey peer, String topic) {
    Set<String> topics = peerTopics.get(peer);
    if (topics != null && topics.add(topic)) {
      topicPeers.computeIfAbsent(topic, t -> new HashSet<>()).add(peer);
    }
  }

  void peerUnsubscribed(PeerKey peer, String topic) {
    Set<String> topics = peerTopics.get(peer);
    if (topics != null) {
      topics.remove(topic);
    }
    Set<PeerKey> s = topicPeers.get(topic);
    if (s != null) {
      s.remove(peer);
      if (s.isEmpty()) {
        topicPeers.remove(topic);
      }
    }
    Set<PeerKey> m = mesh.get(topic);
    if (m != null) {
      m.remove(peer);
    }
    Set<PeerKey> f = fanout.get(topic);
    if (f != null) {
      f.remove(peer);
    }
  }

  boolean inBackoff(String topic, PeerKey peer, long now) {
    Long until = backoff.getOrDefault(topic, Map.of()).get(peer);
    return until != null && until > now;
  }

  long backoffUntil(String topic, PeerKey peer) {
    return backoff.getOrDefault(topic, Map.of()).getOrDefault(peer, 0L);
  }

  /** Extends (never shortens) the backoff of a peer for a topic. */
  void addBackoff(String topic, PeerKey peer, long until) {
    backoff.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, until, Math::max);
  }

  /**
   * Forgets expired backoffs, after one extra heartbeat of slack so that a peer whose backoff ends
   * between our heartbeats is not grafted before it has expired on its side too (gossipsub-v1.1.md
   * "PRUNE Backoff and Peer Exchange").
   */
  void clearExpiredBackoff(long now, long slack) {
    backoff.values().forEach(byPeer -> byPeer.values().removeIf(until -> until + slack < now));
    backoff.values().removeIf(Map::isEmpty);
  }
}
