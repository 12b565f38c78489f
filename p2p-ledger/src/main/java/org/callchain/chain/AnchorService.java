package org.callchain.chain;

import java.util.List;

/**
 * Anchors the device's log on chain, asynchronously and durably.
 *
 * <p>The ledger tells the service about every commit ({@link #committed}); the service picks
 * checkpoints on its cadence (every N records or T seconds, whichever comes first) and puts them in
 * a queue on disk. From there each queued checkpoint is anchored exactly once: a nonce is assigned
 * and the signed transaction persisted before it is sent, so after a crash the very same
 * transaction is re-sent; receipts are awaited to the confirmation depth and an anchor whose block
 * left the canonical chain is sent again. RPC outages only delay.
 */
public interface AnchorService extends AutoCloseable {

  /** The log now has this checkpoint; the service anchors it if the cadence says so. */
  void committed(AnchorCheckpoint checkpoint) throws ChainException;

  /** Queues this checkpoint for anchoring now, whatever the cadence. */
  void anchorNow(AnchorCheckpoint checkpoint) throws ChainException;

  AnchorStatus status();

  /** Confirmed anchors, oldest first, as kept in the queue store. */
  List<ConfirmedAnchor> confirmed();

  void addListener(AnchorListener listener);

  /** In anchor mode batch, how this device's checkpoints were anchored since start (ADR 0093). */
  default BatchShare batchShare() {
    return new BatchShare(0, 0);
  }

  /**
   * @param sentAlone checkpoints this device sent itself because no batch anchored them within the
   *     batch wait
   * @param adopted anchors of this device's log that an aggregator's batch landed and the queue
   *     took over
   */
  record BatchShare(long sentAlone, long adopted) {}

  /** Stops the background work; the queue stays on disk for the next start. */
  @Override
  void close();

  /** Told when an anchor reached its confirmation depth. */
  @FunctionalInterface
  interface AnchorListener {
    void anchorConfirmed(ConfirmedAnchor anchor);
  }
}
