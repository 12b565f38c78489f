package org.callchain.ledger;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Proof bundles that reach the chain. The bundle is built on the record's own checkpoint (the first
 * signed checkpoint that covers the leaf) and on the first anchor that covers that checkpoint; it
 * carries the inclusion proof into the checkpoint and the RFC 9162 §2.1.4.1 consistency proof from
 * the checkpoint to the anchored tree. The local log must agree with the anchor: a log whose root
 * at the anchored size differs was rewritten, and no bundle is made from it.
 */
public final class AnchoredProofs {
  private AnchoredProofs() {}

  /**
   * A bundle for leaf {@code leafIndex} of {@code log} anchored by the first of {@code anchors}
   * (the device's anchors, any order) that covers it; without one, a bundle on the latest
   * checkpoint and no anchor reference.
   *
   * @throws LedgerException if the leaf is not covered by a checkpoint, or the log contradicts the
   *     anchor
   */
  public static ProofBundle export(LogView log, long leafIndex, List<AnchorReference> anchors)
      throws LedgerException {
    Checkpoint latest =
        log.latestCheckpoint()
            .orElseThrow(
                () -> new LedgerException("device " + log.device() + " has no checkpoint"));
    if (leafIndex < 0 || leafIndex >= latest.treeSize()) {
      throw new LedgerException("leaf " + leafIndex + " is not covered by a checkpoint yet");
    }
    Checkpoint own =
        log.checkpoints(leafIndex + 1, latest.treeSize() + 1).stream().findFirst().orElse(latest);
    Optional<AnchorReference> anchor =
        anchors.stream()
            .filter(a -> a.anchoredTreeSize() >= own.treeSize())
            .min(Comparator.comparingLong(AnchorReference::anchoredTreeSize));
    byte[] leaf = log.leaves(leafIndex, leafIndex + 1).get(0);
    CallRecord record;
    try {
      record = log.record(leafIndex);
    } catch (MalformedDataException e) {
      throw new LedgerException("leaf " + leafIndex + " is damaged: " + e.getMessage(), e);
    }
    if (anchor.isEmpty() || anchor.get().anchoredTreeSize() > log.size()) {
      return new ProofBundle(
          leafIndex, leaf, record, log.inclusionProof(leafIndex, latest.treeSize()), latest);
    }
    AnchorReference a = anchor.get();
    Hash256 local = log.root(a.anchoredTreeSize());
    if (!local.equals(a.anchoredRoot())) {
      throw new LedgerException(
          "device "
              + log.device()
              + " anchored root "
              + a.anchoredRoot().toHex()
              + " at size "
              + a.anchoredTreeSize()
              + " (tx "
              + a.transactionHash()
              + ", block "
              + a.blockNumber()
              + ") but the log here has root "
              + local.toHex()
              + " at that size: run 'callchain audit'");
    }
    return new ProofBundle(
        leafIndex,
        leaf,
        record,
        log.inclusionProof(leafIndex, own.treeSize()),
        own,
        a,
        log.consistencyProof(own.treeSize(), a.anchoredTreeSize()));
  }
}
