package org.callchain.chain.internal.anchor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorService;
import org.callchain.chain.AnchorStatus;
import org.callchain.chain.ChainException;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.internal.anchor.AnchorChain.Receipt;
import org.callchain.chain.internal.anchor.AnchorChain.SignedAnchor;
import org.callchain.chain.internal.anchor.AnchorEntry.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchor state machine, advanced by {@link #tick()} (the service calls it on its poll interval;
 * tests call it directly). Its invariants, which make each checkpoint land exactly once with no
 * nonce gap or duplicate:
 *
 * <ol>
 *   <li>A nonce is assigned, the transaction signed, and both written to the store in one synced
 *       batch <em>before</em> the first broadcast. After a crash the stored bytes are broadcast
 *       again: same nonce, same payload, same hash, so the chain can include it at most once.
 *   <li>The next nonce is {@code max(stored next nonce, account's mined nonce)}: never below a
 *       nonce that is in flight (no duplicates), never above the first unused one unless someone
 *       else used the account (no gaps we caused).
 *   <li>Entries are sent in queue order, which is growing tree size, so nonce order equals size
 *       order and the contract's strictly-growing rule holds; a queued entry is never sent while an
 *       earlier one waits unsent.
 *   <li>An entry is confirmed only when its receipt's block is {@code confirmations} deep and still
 *       canonical. A receipt that disappears (a reorg, a restarted dev chain) sends the entry's
 *       stored transaction again.
 *   <li>A refusal found by simulation keeps the entry queued without spending a nonce; a
 *       transaction that reverts on chain (its nonce spent) goes back to the queue, to be sent
 *       again with a new nonce once the simulation passes.
 * </ol>
 *
 * <p>With {@code awaitBatch} set (anchor mode batch, ADR 0093) a queued checkpoint first waits that
 * long for another account's {@code anchorBatch} to anchor it or a later checkpoint of the log; one
 * that landed is adopted (its transaction followed to the confirmation depth like our own), and
 * only after the wait does the engine send the checkpoint itself, by the rules above. A batch that
 * anchored less than a queued checkpoint is adopted too, and the rest handed back to the cadence
 * ({@link BatchAdoption}), so that the device never sends alone the few records beyond a batch.
 */
public final class AnchorEngine {
  private static final Logger LOG = LoggerFactory.getLogger(AnchorEngine.class);

  private final AnchorQueueStore store;
  private final AnchorChain chain;
  private final Clock clock;
  private final int confirmations;
  private final Duration rebroadcastAfter;
  private final Optional<Duration> feeBumpAfter;
  private final Consumer<ConfirmedAnchor> onConfirmed;
  private final Optional<Duration> awaitBatch;
  private final Object enqueueLock = new Object();
  private volatile Optional<String> lastError = Optional.empty();
  private final BatchAdoption adoption;
  private final java.util.concurrent.atomic.AtomicLong sentAlone =
      new java.util.concurrent.atomic.AtomicLong();

  public AnchorEngine(
      AnchorQueueStore store,
      AnchorChain chain,
      Clock clock,
      int confirmations,
      Duration rebroadcastAfter,
      Consumer<ConfirmedAnchor> onConfirmed) {
    this(store, chain, clock, confirmations, rebroadcastAfter, Optional.empty(), onConfirmed);
  }

  /** An engine that replaces a transaction not mined {@code feeBumpAfter} after signing. */
  public AnchorEngine(
      AnchorQueueStore store,
      AnchorChain chain,
      Clock clock,
      int confirmations,
      Duration rebroadcastAfter,
      Optional<Duration> feeBumpAfter,
      Consumer<ConfirmedAnchor> onConfirmed) {
    this(
        store,
        chain,
        clock,
        confirmations,
        rebroadcastAfter,
        feeBumpAfter,
        Optional.empty(),
        onConfirmed);
  }

  /**
   * An engine whose queued checkpoints first wait {@code awaitBatch} for a batch to anchor them.
   */
  public AnchorEngine(
      AnchorQueueStore store,
      AnchorChain chain,
      Clock clock,
      int confirmations,
      Duration rebroadcastAfter,
      Optional<Duration> feeBumpAfter,
      Optional<Duration> awaitBatch,
      Consumer<ConfirmedAnchor> onConfirmed) {
    this.awaitBatch = awaitBatch;
    this.feeBumpAfter = feeBumpAfter;
    this.store = store;
    this.chain = chain;
    this.clock = clock;
    this.confirmations = confirmations;
    this.rebroadcastAfter = rebroadcastAfter;
    this.onConfirmed = onConfirmed;
    this.adoption = new BatchAdoption(store, chain, enqueueLock);
  }

  /**
   * Puts a checkpoint in the queue (durably) unless a checkpoint at least as large was queued
   * already, which makes re-offering after a restart harmless. Returns whether it was queued.
   */
  public boolean enqueue(AnchorCheckpoint checkpoint) throws ChainException {
    // Its own lock, not the tick's: a commit never waits for a slow RPC round. The two touch
    // different keys (a new entry, the sequence counters vs. existing entries, the nonce).
    synchronized (enqueueLock) {
      return enqueueLocked(checkpoint);
    }
  }

  private boolean enqueueLocked(AnchorCheckpoint checkpoint) throws ChainException {
    long lastQueued = store.counter(AnchorQueueStore.LAST_QUEUED_SIZE).orElse(0);
    if (checkpoint.treeSize() <= lastQueued) {
      return false;
    }
    long seq = store.counter(AnchorQueueStore.NEXT_SEQ).orElse(1);
    store.apply(
        new AnchorQueueStore.Batch()
            .put(AnchorEntry.queued(seq, checkpoint, clock.instant()))
            .counter(AnchorQueueStore.NEXT_SEQ, seq + 1)
            .counter(AnchorQueueStore.LAST_QUEUED_SIZE, checkpoint.treeSize()));
    return true;
  }

  /** One round: follow in-flight transactions, then send what is queued. */
  public synchronized void tick() {
    try {
      List<AnchorEntry> entries = store.pending();
      if (entries.isEmpty()) {
        lastError = Optional.empty();
        return;
      }
      long head = chain.blockNumber();
      for (AnchorEntry e : entries) {
        if (e.state() != State.QUEUED) {
          follow(e, head);
        }
      }
      sendQueued();
      lastError = Optional.empty();
    } catch (ChainException e) {
      lastError = Optional.of(e.getMessage());
      LOG.debug("anchoring paused: {}", e.getMessage());
    }
  }

  /** A receipt of one of an entry's transactions (the current one or one it replaced). */
  private record Landed(String hash, Receipt receipt) {}

  private Optional<Landed> receiptOfAny(AnchorEntry e) throws ChainException {
    for (String h : e.allHashes()) {
      Optional<Receipt> r = chain.receipt(h);
      if (r.isPresent()) {
        return Optional.of(new Landed(h, r.get()));
      }
    }
    return Optional.empty();
  }

  private void follow(AnchorEntry e, long head) throws ChainException {
    Optional<Landed> landed = receiptOfAny(e);
    if (landed.isEmpty()) {
      if (e.state() == State.MINED && e.signedTransaction().isEmpty()) {
        // An adopted anchor (someone else's batch) whose block disappeared: we hold no bytes to
        // re-send, so it waits again for a batch, then goes alone.
        LOG.info(
            "adopted anchor of size {} left block {}: queueing it again",
            e.checkpoint().treeSize(),
            e.minedBlock());
        store.apply(new AnchorQueueStore.Batch().put(e.requeued("its batch left the chain")));
        adoption.forgetLast(); // the same transaction may come back in another block
      } else if (e.state() == State.MINED) {
        LOG.info(
            "anchor of size {} left block {}: sending it again",
            e.checkpoint().treeSize(),
            e.minedBlock());
        rebroadcast(e);
      } else if (chain.minedNonce() > e.nonce() && receiptOfAny(e).isEmpty()) {
        // Our nonce is spent but not by any of our transactions (the receipts are read again, as
        // ours may have been mined between the reads): someone else used the account.
        LOG.warn("nonce {} was used by another transaction; queueing anchor again", e.nonce());
        store.apply(
            new AnchorQueueStore.Batch()
                .put(e.requeued("nonce " + e.nonce() + " used by another transaction")));
      } else if (feeBumpAfter.isPresent()
          && !clock.instant().isBefore(e.signedAt().plus(feeBumpAfter.get()))) {
        bumpFees(e);
      } else if (!clock.instant().isBefore(e.lastBroadcast().plus(rebroadcastAfter))) {
        rebroadcast(e);
      }
      return;
    }
    String hash = landed.get().hash();
    Optional<Receipt> receipt = Optional.of(landed.get().receipt());
    Receipt r = receipt.get();
    if (!r.success()) {
      String why =
          "anchor of size "
              + e.checkpoint().treeSize()
              + " reverted: "
              + chain.revertReason(e.checkpoint());
      LOG.warn(why);
      lastError = Optional.of(why);
      store.apply(new AnchorQueueStore.Batch().put(e.requeued(why)));
      return;
    }
    AnchorEntry mined = e;
    if (e.state() != State.MINED
        || e.minedBlock() != r.blockNumber()
        || !e.minedBlockHash().orElse("").equals(r.blockHash())) {
      mined = e.mined(r.blockNumber(), r.blockHash());
      store.apply(new AnchorQueueStore.Batch().put(mined));
    }
    if (head - r.blockNumber() + 1 >= confirmations
        && chain.blockHash(r.blockNumber()).orElse("").equals(r.blockHash())) {
      ConfirmedAnchor confirmed =
          new ConfirmedAnchor(
              e.checkpoint(),
              hash,
              r.blockNumber(),
              r.blockHash(),
              e.nonce(),
              e.queuedAt(),
              clock.instant());
      store.apply(new AnchorQueueStore.Batch().confirm(mined.seq(), confirmed));
      adoption.confirmed(e.checkpoint().treeSize());
      onConfirmed.accept(confirmed);
    }
  }

  /**
   * Replaces a transaction stuck below the market: same nonce, higher fees. The replacement is on
   * disk before it is sent, and the replaced hash is kept, since either may end up mined.
   */
  private void bumpFees(AnchorEntry e) throws ChainException {
    SignedAnchor replacement = chain.replace(e.signedTransaction().orElseThrow(), e.checkpoint());
    LOG.info(
        "anchor of size {} not mined {} after signing: replacing nonce {} with higher fees",
        e.checkpoint().treeSize(),
        feeBumpAfter.get(),
        e.nonce());
    store.apply(
        new AnchorQueueStore.Batch()
            .put(e.bumped(replacement.rawTransaction(), replacement.hash(), clock.instant())));
    chain.broadcast(replacement.rawTransaction());
  }

  private void rebroadcast(AnchorEntry e) throws ChainException {
    AnchorEntry again = e.rebroadcast(clock.instant());
    store.apply(new AnchorQueueStore.Batch().put(again));
    chain.broadcast(e.signedTransaction().orElseThrow());
  }

  private void sendQueued() throws ChainException {
    // The tree size of the anchor adopted in this round: queued checkpoints it covers follow it
    // without reading the chain again (a busy node queues one per commit, and one batch covers
    // many of them).
    long adoptedSize = -1;
    // The anchored size is read once per round: within a round it changes only by a block that
    // the next round sees anyway (our own sends are not mined before it ends).
    long anchored = -1;
    List<AnchorEntry> pending = store.pending();
    for (int i = 0; i < pending.size(); i++) {
      AnchorEntry e = pending.get(i);
      if (e.state() != State.QUEUED) {
        continue;
      }
      if (e.checkpoint().treeSize() <= adoptedSize) {
        store.apply(new AnchorQueueStore.Batch().remove(e.seq()));
        continue;
      }
      if (anchored < 0) {
        anchored = chain.anchoredSize();
      }
      if (anchored >= e.checkpoint().treeSize() && awaitBatch.isPresent()) {
        adoptedSize = Math.max(adoptedSize, adopt(e));
        continue;
      }
      if (awaitBatch.isPresent() && anchored > adoption.accountedSize() && adoptPart(e)) {
        return; // the rest is the cadence's again
      }
      if (!readyToSend(e)) {
        return; // keep order: later entries wait for the batch too
      }
      if (anchored >= e.checkpoint().treeSize()) {
        // A later anchor of ours already landed (this one's transaction reverted, e.g. out of
        // gas, while the next one went through): it covers this checkpoint, and the contract
        // would refuse it as not growing.
        LOG.warn(
            "checkpoint of size {} is covered by the anchored size {}; dropping it",
            e.checkpoint().treeSize(),
            anchored);
        store.apply(new AnchorQueueStore.Batch().remove(e.seq()));
        continue;
      }
      if (awaitBatch.isPresent()
          && i + 1 < pending.size()
          && coversAndIsReady(pending.get(i + 1), e)) {
        // Anchor mode batch, where an anchor of a larger checkpoint covers the queued smaller ones
        // (as an adopted batch does): the next queued checkpoint waited out the batch too and goes
        // in this round, and its root commits to every record of this one (RFC 9162 §2.1.4), so
        // one transaction anchors both (ADR 0099). A busy node queues a checkpoint per commit,
        // several per round, and would otherwise sign and send one transaction for each. Anchor
        // mode single keeps its rule: every queued checkpoint lands, once.
        store.apply(new AnchorQueueStore.Batch().remove(e.seq()));
        continue;
      }
      try {
        chain.simulate(e.checkpoint());
      } catch (ChainException refused) {
        if (refused.reason() == ChainException.Reason.REVERTED) {
          store.apply(new AnchorQueueStore.Batch().put(e.failing(refused.getMessage())));
        }
        throw refused; // keep order: nothing after a refused entry is sent
      }
      long nonce =
          Math.max(store.counter(AnchorQueueStore.NEXT_NONCE).orElse(0), chain.minedNonce());
      SignedAnchor signed = chain.sign(nonce, e.checkpoint());
      store.apply(
          new AnchorQueueStore.Batch()
              .put(e.sent(nonce, signed.rawTransaction(), signed.hash(), clock.instant()))
              .counter(AnchorQueueStore.NEXT_NONCE, nonce + 1));
      chain.broadcast(signed.rawTransaction());
      if (awaitBatch.isPresent()) {
        LOG.info(
            "checkpoint of size {} ({} records beyond the anchored size {}) not batched within {}:"
                + " sending it alone",
            e.checkpoint().treeSize(),
            e.checkpoint().treeSize() - anchored,
            anchored,
            awaitBatch.get());
        sentAlone.incrementAndGet();
      }
    }
  }

  /** Whether a queued entry's batch wait (anchor mode batch) is over, or there is none. */
  private boolean readyToSend(AnchorEntry e) {
    return awaitBatch.isEmpty() || !clock.instant().isBefore(e.queuedAt().plus(awaitBatch.get()));
  }

  private boolean coversAndIsReady(AnchorEntry next, AnchorEntry e) {
    return next.state() == State.QUEUED
        && next.checkpoint().treeSize() > e.checkpoint().treeSize()
        && readyToSend(next);
  }

  /** Returns the tree size of the batch anchor {@code e} adopted, or -1 if it adopted none. */
  private long adopt(AnchorEntry e) throws ChainException {
    Optional<BatchAdoption.Adopted> a = adoption.adopt(e);
    if (a.isEmpty()) {
      return -1;
    }
    // Followed at once: with one confirmation it is confirmed in this round, not the next.
    follow(a.get().entry(), chain.blockNumber());
    return a.get().entry().checkpoint().treeSize();
  }

  private boolean adoptPart(AnchorEntry e) throws ChainException {
    Optional<BatchAdoption.Adopted> a = adoption.adoptPart(e);
    if (a.isEmpty()) {
      return false;
    }
    if (a.get().requeue().isPresent()) {
      enqueue(a.get().requeue().get());
    }
    follow(a.get().entry(), chain.blockNumber());
    return true;
  }

  /**
   * Told of every queued checkpoint a batch anchored only part of: the cadence decides what of the
   * rest to queue again (default: all of it, at once).
   */
  void onPartlyAnchored(BatchAdoption.PartlyAnchored listener) {
    adoption.onPartlyAnchored(listener);
  }

  /**
   * Told the tree size of every anchor adopted from a batch, so that the cadence counts from what
   * is anchored, as the aggregator does.
   */
  public void onAdopted(java.util.function.LongConsumer listener) {
    adoption.onAdopted(listener);
  }

  /** Checkpoints sent alone after the batch wait, and batch anchors adopted (anchor mode batch). */
  public AnchorService.BatchShare batchShare() {
    return new AnchorService.BatchShare(sentAlone.get(), adoption.adoptions());
  }

  /** The status for {@code callchain anchor status}. */
  public AnchorStatus status(long latestCommittedSize) throws ChainException {
    return statusOf(store, clock, latestCommittedSize, lastError);
  }

  /**
   * The status as the store alone tells it (another process may own the queue): errors are those
   * kept with the entries (refusals), not transient ones seen by the running engine.
   */
  public static AnchorStatus statusOf(
      AnchorQueueStore store, Clock clock, long latestCommittedSize, Optional<String> lastError)
      throws ChainException {
    List<AnchorEntry> pending = store.pending();
    List<ConfirmedAnchor> confirmed = store.confirmed();
    Optional<ConfirmedAnchor> last =
        confirmed.isEmpty() ? Optional.empty() : Optional.of(confirmed.get(confirmed.size() - 1));
    int queued = (int) pending.stream().filter(e -> e.state() == State.QUEUED).count();
    long committed =
        Math.max(latestCommittedSize, store.counter(AnchorQueueStore.LAST_QUEUED_SIZE).orElse(0));
    long anchoredSize = last.map(a -> a.checkpoint().treeSize()).orElse(0L);
    Instant now = clock.instant();
    Duration lag =
        pending.isEmpty() ? Duration.ZERO : Duration.between(pending.get(0).queuedAt(), now);
    Optional<String> error =
        lastError.or(() -> pending.stream().flatMap(e -> e.lastError().stream()).findFirst());
    return new AnchorStatus(
        queued,
        pending.size() - queued,
        last,
        committed,
        Math.max(0, committed - anchoredSize),
        lag,
        store.counter(AnchorQueueStore.NEXT_NONCE).orElse(0),
        error);
  }

  public Optional<String> lastError() {
    return lastError;
  }
}
