package org.callchain.chain.internal.anchor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.callchain.chain.ChainException;
import org.callchain.chain.ConfirmedAnchor;

/**
 * Durable state of the anchor service: pending entries by sequence number, confirmed anchors, and a
 * few counters (next nonce, next sequence number, cadence marks). Every change is one {@link Batch}
 * applied atomically and synced to disk before {@link #apply} returns — the nonce is on disk before
 * the transaction that uses it leaves the process.
 */
public interface AnchorQueueStore extends AutoCloseable {

  /** Counter names kept in the store. */
  String NEXT_NONCE = "nextNonce";

  String NEXT_SEQ = "nextSeq";
  String LAST_QUEUED_SIZE = "lastQueuedSize";
  String PENDING_SINCE = "pendingSinceMillis";
  String LATEST_COMMITTED = "latestCommittedSize";

  /** Entries not yet confirmed, by sequence number. */
  List<AnchorEntry> pending() throws ChainException;

  List<ConfirmedAnchor> confirmed() throws ChainException;

  OptionalLong counter(String name) throws ChainException;

  void apply(Batch batch) throws ChainException;

  @Override
  void close();

  /** Changes applied together or not at all. */
  final class Batch {
    final Map<Long, AnchorEntry> put = new TreeMap<>();
    final List<Long> remove = new ArrayList<>();
    final List<Map.Entry<Long, ConfirmedAnchor>> confirm = new ArrayList<>();
    final Map<String, Long> counters = new TreeMap<>();

    public Batch put(AnchorEntry e) {
      put.put(e.seq(), e);
      return this;
    }

    /** Removes the pending entry {@code seq} and records its confirmed anchor. */
    public Batch confirm(long seq, ConfirmedAnchor anchor) {
      remove.add(seq);
      confirm.add(Map.entry(seq, anchor));
      return this;
    }

    public Batch remove(long seq) {
      remove.add(seq);
      return this;
    }

    public Batch counter(String name, long value) {
      counters.put(name, value);
      return this;
    }

    public Map<Long, AnchorEntry> puts() {
      return put;
    }

    public List<Long> removals() {
      return remove;
    }

    public List<Map.Entry<Long, ConfirmedAnchor>> confirmations() {
      return confirm;
    }

    public Map<String, Long> counters() {
      return counters;
    }
  }
}
