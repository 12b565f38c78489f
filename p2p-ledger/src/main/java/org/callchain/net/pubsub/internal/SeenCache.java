package org.callchain.net.pubsub.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of messages already seen, remembered for a fixed time (pubsub spec "Message Identification":
 * a router must not process or forward a message twice). Entries expire in insertion order, so
 * sweeping stops at the first live one.
 */
final class SeenCache {
  private final long ttlMillis;
  private final LinkedHashMap<MessageId, Long> expiries = new LinkedHashMap<>();

  SeenCache(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  /** Records the id; returns false when it was already there. */
  boolean add(MessageId id, long now) {
    if (expiries.containsKey(id)) {
      return false;
    }
    expiries.put(id, now + ttlMillis);
    return true;
  }

  boolean contains(MessageId id) {
    return expiries.containsKey(id);
  }

  void sweep(long now) {
    Iterator<Map.Entry<MessageId, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() > now) {
        return;
      }
      it.remove();
    }
  }

  int size() {
    return expiries.size();
  }
}
