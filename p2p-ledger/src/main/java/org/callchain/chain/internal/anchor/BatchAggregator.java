package org.callchain.chain.internal.anchor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callchain.chain.AnchorAggregator;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.BatchAnchorer;
import org.callchain.chain.ChainException;
import org.callchain.chain.DeviceAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AnchorAggregator} on one background thread. Each round, while {@code leading} says this
 * node aggregates, it applies the cadence rule of {@link #due()} to the latest statement per device
 * and sends the result as one batch. The batch is awaited before the next, so statements arriving
 * meanwhile gather into the next one. A refused entry (the revert names it) is dropped and the rest
 * retried at once. Every batch is logged with its members, the records each entry covers and the
 * rule that took it.
 */
public final class BatchAggregator implements AnchorAggregator {
  private static final Logger LOG = LoggerFactory.getLogger(BatchAggregator.class);
  private static final Pattern ENTRY = Pattern.compile("batch entry (\\d+)");

  /** Reads a device's anchored tree size on chain (0 before its first anchor). */
  @FunctionalInterface
  public interface AnchoredSizes {
    long of(DeviceAddress device) throws ChainException;
  }

  private record Pending(AnchorStatement statement, Instant since) {}

  private final BatchAnchorer anchorer;
  private final AnchoredSizes sizes;
  private final BooleanSupplier leading;
  private final int everyRecords;
  private final Duration every;
  private final Clock clock;
  private final Map<DeviceAddress, Pending> pending = new LinkedHashMap<>();
  private final ScheduledExecutorService worker;
  private long batches;
  private long entries;
  private long records;
  private String lastLone = "";
  private long gasUsed;
  private long refused;
  private String lastFailure = "";

  public BatchAggregator(
      BatchAnchorer anchorer,
      AnchoredSizes sizes,
      BooleanSupplier leading,
      int everyRecords,
      Duration every,
      Duration round,
      Clock clock) {
    // round: how often the worker runs a round; zero runs none (a test calls round() itself)
    this.anchorer = anchorer;
    this.sizes = sizes;
    this.leading = leading;
    this.everyRecords = everyRecords;
    this.every = every;
    this.clock = clock;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "anchor-aggregator");
              t.setDaemon(true);
              return t;
            });
    if (!round.isZero()) {
      long ms = round.toMillis();
      worker.scheduleWithFixedDelay(this::round, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void offer(AnchorStatement statement) {
    Pending held = pending.get(statement.device());
    if (held == null) {
      pending.put(statement.device(), new Pending(statement, clock.instant()));
    } else if (statement.checkpoint().treeSize() > held.statement().checkpoint().treeSize()) {
      pending.put(statement.device(), new Pending(statement, held.since()));
    }
  }

  @Override
  public synchronized Totals totals() {
    return new Totals(batches, entries, records, gasUsed, refused);
  }

  /** One round (the worker runs it; tests may call it directly). */
  public void round() {
    try {
      if (!leading.getAsBoolean()) {
        return;
      }
      List<Member> due = new ArrayList<>(due());
      while (due.size() >= 2) {
        try {
          BatchAnchorer.BatchReceipt r =
              anchorer.submit(due.stream().map(Member::statement).toList());
          anchored(due, r);
          break;
        } catch (ChainException e) {
          Matcher m = ENTRY.matcher(e.getMessage());
          if (e.reason() != ChainException.Reason.REVERTED || !m.find()) {
            throw e;
          }
          int index = Integer.parseInt(m.group(1));
          if (index >= due.size()) {
            throw e;
          }
          AnchorStatement dropped = due.remove(index).statement();
          synchronized (this) {
            refused++;
            Pending p = pending.get(dropped.device());
            if (p != null && p.statement().equals(dropped)) {
              pending.remove(dropped.device());
            }
          }
          LOG.info("dropped {} from the batch: {}", dropped, e.getMessage());
          due = new ArrayList<>(due()); // without it the rest may no longer be worth a batch
        }
      }
    } catch (ChainException | RuntimeException e) {
      // Once per distinct failure: a leader that cannot pay would otherwise warn every round.
      String why = String.valueOf(e.getMessage());
      if (!why.equals(lastFailure)) {
        LOG.warn("anchor batch round failed: {}", why);
      } else {
        LOG.debug("anchor batch round failed again: {}", why);
      }
      lastFailure = why;
      return;
    }
    lastFailure = "";
  }

  /**
   * Why a statement is in a batch: its records beyond the on-chain size and the rule that took it.
   */
  private record Member(AnchorStatement statement, long records, double share, String rule) {
    @Override
    public String toString() {
      return statement.device() + " +" + records + " (" + rule + ")";
    }
  }

  /**
   * The cadence rule (ADR 0093), per device, counted from its on-chain size as the device's own
   * anchor service counts: due at {@code everyRecords} beyond it or {@code every} after its first
   * unanchored statement; a batch goes when one is due and takes the devices at least half-way to
   * due (so devices that come due a few records apart share it and stay in step), the fullest
   * first, as long as the batch costs no more gas than single anchoring would for the same records
   * ({@link AnchorGas}); and never with one entry, since a batch of one costs more than the
   * device's own {@code anchor} (ADR 0052), which its anchor service sends after the batch wait.
   */
  private List<Member> due() throws ChainException {
    List<Pending> held;
    synchronized (this) {
      held = new ArrayList<>(pending.values());
    }
    Instant now = clock.instant();
    List<Member> due = new ArrayList<>();
    List<Member> joining = new ArrayList<>();
    for (Pending p : held) {
      long size = p.statement().checkpoint().treeSize();
      long onChain = sizes.of(p.statement().device());
      if (onChain >= size) {
        forget(p); // anchored already (by its device or another aggregator)
        continue;
      }
      long records = size - onChain;
      Duration age = Duration.between(p.since(), now);
      if (records >= everyRecords) {
        due.add(new Member(p.statement(), records, 1, "due by records"));
      } else if (age.compareTo(every) >= 0) {
        due.add(new Member(p.statement(), records, 1, "due by age " + age.toSeconds() + " s"));
      } else {
        // the share of its next anchor it has used up: the larger of records and age
        double share =
            Math.max((double) records / everyRecords, (double) age.toMillis() / every.toMillis());
        if (2 * records >= everyRecords) {
          joining.add(new Member(p.statement(), records, share, "half-way by records"));
        } else if (age.multipliedBy(2).compareTo(every) >= 0) {
          joining.add(new Member(p.statement(), records, share, "half-way by age"));
        }
      }
    }
    if (due.isEmpty()) {
      return due;
    }
    // The fullest first: each joins only while the batch stays no dearer than single anchoring.
    joining.sort(java.util.Comparator.comparingDouble(Member::share).reversed());
    int dueCount = due.size();
    double joinedShare = 0;
    for (Member m : joining) {
      if (!AnchorGas.batchNoDearerThanSingle(
          dueCount, due.size() - dueCount + 1, joinedShare + m.share())) {
        break;
      }
      due.add(m);
      joinedShare += m.share();
    }
    if (due.size() < 2
        || !AnchorGas.batchNoDearerThanSingle(dueCount, due.size() - dueCount, joinedShare)) {
      String lone = due.toString();
      if (!lone.equals(lastLone)) {
        LOG.debug("no batch: {} would cost more than anchoring alone; left to the devices", lone);
        lastLone = lone;
      }
      return List.of();
    }
    return due;
  }

  private void anchored(List<Member> sent, BatchAnchorer.BatchReceipt r) {
    long records = sent.stream().mapToLong(Member::records).sum();
    synchronized (this) {
      batches++;
      entries += sent.size();
      this.records += records;
      gasUsed += r.gasUsed();
      for (Member m : sent) {
        AnchorStatement s = m.statement();
        Pending p = pending.get(s.device());
        if (p != null && p.statement().equals(s)) {
          pending.remove(s.device());
        } else if (p != null) {
          // a newer statement arrived meanwhile: its cadence starts now
          pending.put(s.device(), new Pending(p.statement(), clock.instant()));
        }
      }
    }
    LOG.info(
        "anchored {} devices, {} records ({} per entry) in {} (block {}, {} gas, {} per record): {}",
        sent.size(),
        records,
        String.format(java.util.Locale.ROOT, "%.1f", (double) records / sent.size()),
        r.transactionHash(),
        r.blockNumber(),
        r.gasUsed(),
        r.gasUsed() / Math.max(1, records),
        sent);
  }

  private synchronized void forget(Pending p) {
    pending.remove(p.statement().device(), p);
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
