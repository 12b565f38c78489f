package org.callchain.chain.internal.anchor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;

/**
 * Decides when the latest checkpoint is worth an anchor: once {@code everyRecords} records were
 * committed since the last queued anchor, or once the oldest unanchored record has waited {@code
 * every}, whichever comes first. One anchor covers every record since the previous one, so the
 * batch size is the lever on gas per record (see docs/chain.md).
 */
public final class AnchorCadence {
  private final int everyRecords;
  private final Duration every;
  private long lastQueuedSize;
  private Optional<AnchorCheckpoint> latest = Optional.empty();
  private Optional<Instant> pendingSince = Optional.empty();

  public AnchorCadence(int everyRecords, Duration every, long lastQueuedSize) {
    this.everyRecords = everyRecords;
    this.every = every;
    this.lastQueuedSize = lastQueuedSize;
  }

  /** Notes a commit; returns the checkpoint to anchor now, if the record count says so. */
  public synchronized Optional<AnchorCheckpoint> committed(
      AnchorCheckpoint checkpoint, Instant now) {
    if (checkpoint.treeSize() <= lastQueuedSize
        || latest.map(l -> l.treeSize() >= checkpoint.treeSize()).orElse(false)) {
      return Optional.empty();
    }
    latest = Optional.of(checkpoint);
    if (pendingSince.isEmpty()) {
      pendingSince = Optional.of(now);
    }
    return checkpoint.treeSize() - lastQueuedSize >= everyRecords ? take() : Optional.empty();
  }

  /** Returns the latest checkpoint when its oldest unanchored record waited long enough. */
  public synchronized Optional<AnchorCheckpoint> due(Instant now) {
    if (latest.isPresent() && !now.isBefore(pendingSince.orElseThrow().plus(every))) {
      return take();
    }
    return Optional.empty();
  }

  /** The checkpoint was queued by other means (anchor now). */
  public synchronized void queued(long size) {
    lastQueuedSize = Math.max(lastQueuedSize, size);
    if (latest.map(l -> l.treeSize() <= lastQueuedSize).orElse(false)) {
      latest = Optional.empty();
      pendingSince = Optional.empty();
    }
  }

  /**
   * A batch anchored {@code anchoredSize} of this log before the checkpoint {@code rest} that the
   * cadence took (ADR 0093): the count restarts from what is anchored, as the aggregator counts,
   * and {@code rest} waits again. Returns it (or a later one) if it is still due by records.
   */
  public synchronized Optional<AnchorCheckpoint> rebased(
      long anchoredSize, AnchorCheckpoint rest, Instant now) {
    lastQueuedSize = anchoredSize;
    if (rest.treeSize() <= anchoredSize) {
      return Optional.empty();
    }
    if (latest.map(l -> l.treeSize() < rest.treeSize()).orElse(true)) {
      latest = Optional.of(rest);
    }
    if (pendingSince.map(p -> p.isAfter(now)).orElse(true)) {
      pendingSince = Optional.of(now);
    }
    return latest.orElseThrow().treeSize() - lastQueuedSize >= everyRecords
        ? take()
        : Optional.empty();
  }

  public synchronized long latestCommittedSize() {
    return Math.max(lastQueuedSize, latest.map(AnchorCheckpoint::treeSize).orElse(0L));
  }

  private Optional<AnchorCheckpoint> take() {
    Optional<AnchorCheckpoint> out = latest;
    lastQueuedSize = latest.orElseThrow().treeSize();
    latest = Optional.empty();
    pendingSince = Optional.empty();
    return out;
  }
}
