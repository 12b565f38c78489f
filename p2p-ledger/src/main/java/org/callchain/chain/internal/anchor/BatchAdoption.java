package org.callchain.chain.internal.anchor;

import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.OnChainAnchor;
import org.callchain.chain.internal.anchor.AnchorEntry.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anchor mode batch (ADR 0093): how the {@link AnchorEngine}'s queued checkpoints take over the
 * anchors an aggregator's batch landed for this account. A batch that covers a queued checkpoint is
 * adopted whole; one that anchored less (it took a statement the device's own cadence had not
 * queued) is adopted and the rest given back to the cadence, so that the device counts its cadence
 * from what is anchored, as the aggregator does, instead of sending the few records beyond the
 * batch alone once its wait runs out.
 */
final class BatchAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(BatchAdoption.class);

  /** What the cadence makes of a checkpoint a batch anchored only part of. */
  @FunctionalInterface
  interface PartlyAnchored {
    /**
     * @return the checkpoint to queue again now, if the cadence says it is still due
     */
    Optional<AnchorCheckpoint> rebased(long anchoredSize, AnchorCheckpoint rest);
  }

  /** An anchor taken over: the entry to follow now, and what to queue again. */
  record Adopted(AnchorEntry entry, Optional<AnchorCheckpoint> requeue) {}

  private final AnchorQueueStore store;
  private final AnchorChain chain;
  private final Object enqueueLock;
  private String lastAdopted = "";
  private long confirmedSize = -1;
  private long adoptions;
  private volatile LongConsumer onAdopted = size -> {};
  private volatile PartlyAnchored onPartlyAnchored = (size, rest) -> Optional.of(rest);

  BatchAdoption(AnchorQueueStore store, AnchorChain chain, Object enqueueLock) {
    this.store = store;
    this.chain = chain;
    this.enqueueLock = enqueueLock;
  }

  void onAdopted(LongConsumer listener) {
    onAdopted = listener;
  }

  void onPartlyAnchored(PartlyAnchored listener) {
    onPartlyAnchored = listener;
  }

  /** The transaction of an adopted anchor left the chain: it may come back in another block. */
  void forgetLast() {
    lastAdopted = "";
  }

  void confirmed(long size) {
    confirmedSize = Math.max(confirmedSize, size);
  }

  /** Batch anchors taken over so far (whole or in part). */
  synchronized long adoptions() {
    return adoptions;
  }

  /**
   * The largest tree size this queue already follows or confirmed; an anchored size above it was
   * sent by someone else's batch.
   */
  long accountedSize() throws ChainException {
    if (confirmedSize < 0) {
      List<ConfirmedAnchor> all = store.confirmed();
      confirmedSize = all.isEmpty() ? 0 : all.get(all.size() - 1).checkpoint().treeSize();
    }
    long max = confirmedSize;
    for (AnchorEntry p : store.pending()) {
      if (p.state() != State.QUEUED) {
        max = Math.max(max, p.checkpoint().treeSize());
      }
    }
    return max;
  }

  /**
   * Takes over the anchor that covers {@code e}: the account's latest on chain, sent by an
   * aggregator. A checkpoint already following that transaction makes {@code e} redundant.
   */
  Optional<Adopted> adopt(AnchorEntry e) throws ChainException {
    Optional<OnChainAnchor> latest = chain.latestAnchor();
    if (latest.isEmpty() || latest.get().checkpoint().treeSize() < e.checkpoint().treeSize()) {
      return Optional.empty(); // the event is not readable yet; the next round looks again
    }
    OnChainAnchor a = latest.get();
    boolean followed =
        a.transactionHash().equals(lastAdopted)
            || store.pending().stream()
                .anyMatch(
                    p ->
                        p.seq() != e.seq()
                            && p.transactionHash().equals(Optional.of(a.transactionHash())));
    if (followed) {
      store.apply(new AnchorQueueStore.Batch().remove(e.seq()));
      return Optional.empty();
    }
    LOG.info(
        "checkpoint of size {} anchored by batch {} (size {}, block {})",
        e.checkpoint().treeSize(),
        a.transactionHash(),
        a.checkpoint().treeSize(),
        a.blockNumber());
    AnchorEntry adopted;
    synchronized (enqueueLock) {
      adopted = e.adopted(a.checkpoint(), a.transactionHash(), a.blockNumber(), a.blockHash());
      AnchorQueueStore.Batch b = new AnchorQueueStore.Batch().put(adopted);
      long lastQueued = store.counter(AnchorQueueStore.LAST_QUEUED_SIZE).orElse(0);
      if (a.checkpoint().treeSize() > lastQueued) {
        b.counter(AnchorQueueStore.LAST_QUEUED_SIZE, a.checkpoint().treeSize());
      }
      store.apply(b);
    }
    taken(a);
    onAdopted.accept(a.checkpoint().treeSize());
    return Optional.of(new Adopted(adopted, Optional.empty()));
  }

  /**
   * A batch anchored a checkpoint of this log below the queued {@code e}: {@code e} adopts that
   * anchor, every checkpoint queued after it is withdrawn, and the largest goes back to the
   * cadence. Empty when the anchor's event is not readable yet (the next round looks again).
   */
  Optional<Adopted> adoptPart(AnchorEntry e) throws ChainException {
    Optional<OnChainAnchor> latest = chain.latestAnchor();
    if (latest.isEmpty()
        || latest.get().checkpoint().treeSize() >= e.checkpoint().treeSize()
        || latest.get().checkpoint().treeSize() <= accountedSize()) {
      return Optional.empty();
    }
    OnChainAnchor a = latest.get();
    long anchored = a.checkpoint().treeSize();
    AnchorEntry adopted;
    AnchorCheckpoint rest;
    synchronized (enqueueLock) {
      AnchorQueueStore.Batch b = new AnchorQueueStore.Batch();
      adopted = e.adopted(a.checkpoint(), a.transactionHash(), a.blockNumber(), a.blockHash());
      b.put(adopted);
      rest = e.checkpoint();
      for (AnchorEntry later : store.pending()) {
        if (later.seq() > e.seq() && later.state() == State.QUEUED) {
          b.remove(later.seq());
          rest = later.checkpoint();
        }
      }
      // The cadence counts from the anchored size again; re-offering the rest must be possible.
      store.apply(b.counter(AnchorQueueStore.LAST_QUEUED_SIZE, anchored));
    }
    taken(a);
    LOG.info(
        "batch {} (block {}) anchored size {} below the queued size {}: adopted; the {} records"
            + " beyond it count toward the next anchor",
        a.transactionHash(),
        a.blockNumber(),
        anchored,
        rest.treeSize(),
        rest.treeSize() - anchored);
    return Optional.of(new Adopted(adopted, onPartlyAnchored.rebased(anchored, rest)));
  }

  private synchronized void taken(OnChainAnchor a) {
    lastAdopted = a.transactionHash();
    adoptions++;
  }
}
