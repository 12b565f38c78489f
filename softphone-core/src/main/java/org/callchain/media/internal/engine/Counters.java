package org.callchain.media.internal.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet counters of one session. What is counted per packet has one writer ({@link OwnedCounter}:
 * the session's clock thread, which both sends and receives for it); rare events (errors, rejects)
 * may come from several threads and use adders.
 */
final class Counters {
  final OwnedCounter packetsSent = new OwnedCounter();
  final OwnedCounter octetsSent = new OwnedCounter();
  final OwnedCounter packetsReceived = new OwnedCounter();
  final LongAdder sendOverflows = new LongAdder();
  final LongAdder sendErrors = new LongAdder();
  private final Map<String, LongAdder> rejects = new ConcurrentHashMap<>();

  void reject(String reason) {
    rejects.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  long rejected(String reason) {
    LongAdder a = rejects.get(reason);
    return a == null ? 0 : a.sum();
  }

  long rejected() {
    long n = 0;
    for (LongAdder a : rejects.values()) {
      n += a.sum();
    }
    return n;
  }
}
