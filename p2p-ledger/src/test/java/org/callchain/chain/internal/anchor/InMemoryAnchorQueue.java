package org.callchain.chain.internal.anchor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.callchain.chain.ConfirmedAnchor;

/** Test double of the queue store: the same batch semantics, in memory. */
final class InMemoryAnchorQueue implements AnchorQueueStore {
  private final TreeMap<Long, AnchorEntry> pending = new TreeMap<>();
  private final TreeMap<Long, ConfirmedAnchor> confirmed = new TreeMap<>();
  private final Map<String, Long> counters = new HashMap<>();
  int batches;

  @Override
  public synchronized List<AnchorEntry> pending() {
    return new ArrayList<>(pending.values());
  }

  @Override
  public synchronized List<ConfirmedAnchor> confirmed() {
    return new ArrayList<>(confirmed.values());
  }

  @Override
  public synchronized OptionalLong counter(String name) {
    Long v = counters.get(name);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  @Override
  public synchronized void apply(Batch batch) {
    batches++;
    batch.removals().forEach(pending::remove);
    pending.putAll(batch.puts());
    batch.confirmations().forEach(e -> confirmed.put(e.getKey(), e.getValue()));
    counters.putAll(batch.counters());
  }

  @Override
  public void close() {}
}
