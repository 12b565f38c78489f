package org.callchain.chain.internal.anchor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorService;
import org.callchain.chain.AnchorStatus;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainException;
import org.callchain.chain.ConfirmedAnchor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link AnchorEngine} on one background thread, every poll interval, and feeds it
 * checkpoints chosen by an {@link AnchorCadence}. Callers of {@link #committed} never wait for the
 * network: queueing is a local synced write.
 */
public final class DefaultAnchorService implements AnchorService {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultAnchorService.class);

  private final AnchorQueueStore store;
  private final AnchorEngine engine;
  private final AnchorCadence cadence;
  private final Clock clock;
  private final List<AnchorListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker;
  private final AutoCloseable closeWithService;

  /**
   * @param closeWithService closed after the worker stops (the chain client)
   */
  public DefaultAnchorService(
      AnchorQueueStore store,
      AnchorChain chain,
      ChainConfig config,
      Clock clock,
      AutoCloseable closeWithService)
      throws ChainException {
    this(store, chain, config, clock, Optional.empty(), closeWithService);
  }

  /**
   * @param awaitBatch how long a queued checkpoint waits for an aggregator's batch before the
   *     service sends it itself (ADR 0093); empty: send at once
   * @param closeWithService closed after the worker stops (the chain client)
   */
  public DefaultAnchorService(
      AnchorQueueStore store,
      AnchorChain chain,
      ChainConfig config,
      Clock clock,
      Optional<Duration> awaitBatch,
      AutoCloseable closeWithService)
      throws ChainException {
    this.store = store;
    this.clock = clock;
    this.closeWithService = closeWithService;
    Duration rebroadcast = config.pollInterval().multipliedBy(10);
    this.engine =
        new AnchorEngine(
            store,
            chain,
            clock,
            config.confirmations(),
            rebroadcast,
            Optional.of(config.feeBumpAfter()),
            awaitBatch,
            this::notifyConfirmed);
    this.cadence =
        new AnchorCadence(
            config.anchorEveryRecords(),
            config.anchorEvery(),
            store.counter(AnchorQueueStore.LAST_QUEUED_SIZE).orElse(0));
    // A batch that anchored more than the cadence queued restarts its count (ADR 0093).
    engine.onAdopted(cadence::queued);
    // A batch that anchored less than the cadence queued: the count restarts from what is
    // anchored, as the aggregator counts, and the rest waits for the next anchor.
    engine.onPartlyAnchored((anchored, rest) -> cadence.rebased(anchored, rest, clock.instant()));
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "anchor-service");
              t.setDaemon(true);
              return t;
            });
    long every = config.pollInterval().toMillis();
    worker.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void committed(AnchorCheckpoint checkpoint) throws ChainException {
    Optional<AnchorCheckpoint> due = cadence.committed(checkpoint, clock.instant());
    if (due.isPresent()) {
      engine.enqueue(due.get());
    }
  }

  @Override
  public void anchorNow(AnchorCheckpoint checkpoint) throws ChainException {
    engine.enqueue(checkpoint);
    cadence.queued(checkpoint.treeSize());
  }

  @Override
  public AnchorStatus status() {
    try {
      return engine.status(cadence.latestCommittedSize());
    } catch (ChainException e) {
      throw new IllegalStateException("anchor queue unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public List<ConfirmedAnchor> confirmed() {
    try {
      return store.confirmed();
    } catch (ChainException e) {
      throw new IllegalStateException("anchor queue unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public BatchShare batchShare() {
    return engine.batchShare();
  }

  @Override
  public void addListener(AnchorListener listener) {
    listeners.add(listener);
  }

  private void round() {
    try {
      Optional<AnchorCheckpoint> due = cadence.due(clock.instant());
      if (due.isPresent()) {
        engine.enqueue(due.get());
      }
      engine.tick();
    } catch (ChainException | RuntimeException e) {
      LOG.warn("anchor round failed: {}", e.getMessage());
    }
  }

  private void notifyConfirmed(ConfirmedAnchor anchor) {
    LOG.info(
        "anchored size {} in block {} ({})",
        anchor.checkpoint().treeSize(),
        anchor.blockNumber(),
        anchor.transactionHash());
    for (AnchorListener l : listeners) {
      l.anchorConfirmed(anchor);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
    try {
      closeWithService.close();
    } catch (Exception e) {
      LOG.debug("closing the chain client failed", e);
    }
  }
}
