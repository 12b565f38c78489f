package org.callchain.media.internal.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Packet counters of one session, written by the clock and receive threads. */
final class Counters {
  final LongAdder packetsSent = new LongAdder();
  final LongAdder octetsSent = new LongAdder();
  final LongAdder packetsReceived = new LongAdder();
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
