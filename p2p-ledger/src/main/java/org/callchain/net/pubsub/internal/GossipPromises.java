package org.callchain.net.pubsub.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.callchain.net.pubsub.PeerKey;

/**
 * Promises made by IHAVE (gossipsub-v1.1.md "Spam Protection Measures"): when we answer a peer's
 * IHAVE with IWANT, we expect one of the requested messages, chosen at random, within {@code
 * iwant_followup_time}. A peer that does not deliver broke its promise and earns a behaviour
 * penalty (P7), which defeats peers that advertise messages they never send.
 */
final class GossipPromises {
  private final long followupMillis;
  private final RandomGenerator random;
  private final Map<MessageId, Map<PeerKey, Long>> promises = new HashMap<>();

  GossipPromises(long followupMillis, RandomGenerator random) {
    this.followupMillis = followupMillis;
    this.random = random;
  }

  void expect(PeerKey peer, List<MessageId> requested, long now) {
    if (requested.isEmpty()) {
      return;
    }
    MessageId id = requested.get(random.nextInt(requested.size()));
    promises.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(peer, now + followupMillis);
  }

  /** A message arrived (first or duplicate, valid or not yet validated): its promises are kept. */
  void delivered(MessageId id) {
    promises.remove(id);
  }

  /** Removes the promises that expired unkept and returns how many each peer broke. */
  Map<PeerKey, Integer> takeBroken(long now) {
    Map<PeerKey, Integer> broken = new HashMap<>();
    Iterator<Map<PeerKey, Long>> it = promises.values().iterator();
    while (it.hasNext()) {
      Map<PeerKey, Long> byPeer = it.next();
      List<PeerKey> expired = new ArrayList<>();
      byPeer.forEach(
          (peer, deadline) -> {
            if (deadline < now) {
              expired.add(peer);
            }
          });
      for (PeerKey p : expired) {
        byPeer.remove(p);
        broken.merge(p, 1, Integer::sum);
      }
      if (byPeer.isEmpty()) {
        it.remove();
      }
    }
    return broken;
  }
}
