package org.callchain.chain;

/**
 * Collects the anchor statements of many devices (the node's own and those heard with peers'
 * commits) and, while this node is the network's aggregator, anchors the due ones together in one
 * {@code anchorBatch} transaction paid by this node (ADR 0093). Before each batch it reads every
 * entry's on-chain size and drops what is already anchored, since the contract reverts a whole
 * batch for one non-growing entry.
 *
 * <p>It keeps no queue on disk: a statement it loses (a restart, a refused batch) is the device's
 * to anchor itself once its own anchor service stops waiting for a batch.
 */
public interface AnchorAggregator extends AutoCloseable {

  /** A device's statement; the largest per device is kept until anchored. */
  void offer(AnchorStatement statement);

  /** What was sent so far. */
  Totals totals();

  /** Stops the background rounds. */
  @Override
  void close();

  /**
   * @param batches batch transactions mined
   * @param entries device checkpoints they anchored
   * @param records records those entries covered (each entry's size beyond the device's previous
   *     anchor)
   * @param gasUsed gas of those transactions
   * @param refused batches the chain refused (their entries dropped, retried without them)
   */
  record Totals(long batches, long entries, long records, long gasUsed, long refused) {}
}
