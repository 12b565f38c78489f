package org.callchain.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.spi.FinishedCallSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a signed record of every finished call to this device's log and commits in batches
 * (design brief, "Records"): a desk phone commits each call at once ({@link CommitPolicy#AT_ONCE}),
 * a busy headless node once {@code maxRecords} records wait or the oldest has waited {@code
 * maxDelay}. A batch commit is one signed checkpoint. A record counts as recorded only once its
 * batch is durable: listeners hear of it after the commit, never before. A record that cannot be
 * written is logged with its call id and counted; the phone keeps working.
 *
 * <p>The phone calls {@link #callFinished} on its event thread, so appending never waits for the
 * batch: the commit runs on the thread that fills the batch, or on the timer when the delay is up.
 */
public final class LedgerCallSink implements FinishedCallSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerCallSink.class);

  /** Told about each record once it is committed, and about each commit. */
  @FunctionalInterface
  public interface Listener {
    void recorded(CallRecord record, long leafIndex, Checkpoint checkpoint);

    /** The batch ending in {@code checkpoint} is durable; called after its records' calls. */
    default void committed(Checkpoint checkpoint, int records) {}
  }

  /**
   * When pending records are committed.
   *
   * @param maxRecords commit as soon as this many records wait
   * @param maxDelay ... or once the oldest waiting record has waited this long
   */
  public record CommitPolicy(int maxRecords, Duration maxDelay) {
    public static final CommitPolicy AT_ONCE = new CommitPolicy(1, Duration.ofMillis(1));

    public CommitPolicy {
      if (maxRecords < 1) {
        throw new IllegalArgumentException("a batch holds at least one record");
      }
      if (maxDelay.isNegative() || maxDelay.isZero()) {
        throw new IllegalArgumentException("the commit delay must be positive");
      }
    }
  }

  /** Runs the deadline commit later; the node uses a daemon thread, tests a manual clock. */
  @FunctionalInterface
  public interface CommitTimer {
    /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
    Runnable schedule(Duration delay, Runnable task);

    /** A timer on one daemon thread; {@code close()} of the sink stops it. */
    static CommitTimer daemon() {
      ScheduledExecutorService ex =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "ledger-commit-timer");
                t.setDaemon(true);
                return t;
              });
      return new CommitTimer() {
        @Override
        public Runnable schedule(Duration delay, Runnable task) {
          ScheduledFuture<?> f = ex.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        }

        @Override
        public void stop() {
          ex.shutdownNow();
        }
      };
    }

    default void stop() {}
  }

  private record Pending(CallRecord record, long leaf) {}

  private final DeviceLog log;
  private final DeviceAddress self;
  private final String site;
  private final Listener listener;
  private final CommitPolicy policy;
  private final CommitTimer timer;
  private final List<Pending> pending = new ArrayList<>();
  private Runnable cancelDeadline;
  private long failures;

  /** Commits every call at once, on the phone's thread (a desk phone). */
  public LedgerCallSink(DeviceLog log, DeviceAddress self, String site, Listener listener) {
    this(log, self, site, listener, CommitPolicy.AT_ONCE, (delay, task) -> () -> {});
  }

  public LedgerCallSink(
      DeviceLog log,
      DeviceAddress self,
      String site,
      Listener listener,
      CommitPolicy policy,
      CommitTimer timer) {
    this.log = Objects.requireNonNull(log, "log");
    this.self = Objects.requireNonNull(self, "self");
    this.site = site == null ? "" : site;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  @Override
  public void callFinished(FinishedCall call) {
    CallRecord record;
    try {
      record = CallRecords.from(call, self, site);
    } catch (IllegalArgumentException e) {
      fail(call.callId(), e);
      return;
    }
    synchronized (this) {
      long leaf;
      try {
        leaf = log.append(record);
      } catch (RuntimeException e) {
        fail(call.callId(), e);
        return;
      }
      pending.add(new Pending(record, leaf));
      if (pending.size() >= policy.maxRecords()) {
        commitPending();
      } else if (cancelDeadline == null) {
        cancelDeadline = timer.schedule(policy.maxDelay(), this::deadlineReached);
      }
    }
  }

  /** Commits whatever is pending now (at shutdown, or before a status read). */
  public synchronized void flush() {
    if (!pending.isEmpty()) {
      commitPending();
    }
  }

  /** Records appended and not yet committed. */
  public synchronized int pendingRecords() {
    return pending.size();
  }

  /** How many finished calls could not be recorded. */
  public synchronized long failures() {
    return failures;
  }

  /** Commits what is pending and stops the timer. */
  @Override
  public void close() {
    flush();
    synchronized (this) {
      cancelDeadline();
    }
    timer.stop();
  }

  private synchronized void deadlineReached() {
    cancelDeadline = null;
    if (!pending.isEmpty()) {
      commitPending();
    }
  }

  /**
   * Commits the batch and tells the listener, under this sink's lock so that listeners (the anchor
   * service, gossip) see the checkpoints in the order they were signed.
   */
  private void commitPending() {
    cancelDeadline();
    Checkpoint checkpoint;
    try {
      checkpoint = log.commit();
    } catch (RuntimeException e) {
      // The records stay pending in the log and here: the next commit covers them.
      failures += pending.size();
      LOG.error("commit of {} records failed, retrying later: {}", pending.size(), e.getMessage());
      cancelDeadline = timer.schedule(policy.maxDelay(), this::deadlineReached);
      return;
    }
    List<Pending> batch = List.copyOf(pending);
    pending.clear();
    for (Pending p : batch) {
      try {
        listener.recorded(p.record(), p.leaf(), checkpoint);
      } catch (RuntimeException e) {
        LOG.warn("a record listener failed for {}", p.record().callId(), e);
      }
    }
    try {
      listener.committed(checkpoint, batch.size());
    } catch (RuntimeException e) {
      LOG.warn("a commit listener failed at tree size {}", checkpoint.treeSize(), e);
    }
  }

  private void cancelDeadline() {
    if (cancelDeadline != null) {
      cancelDeadline.run();
      cancelDeadline = null;
    }
  }

  private void fail(String callId, Exception e) {
    synchronized (this) {
      failures++;
    }
    LOG.error("call {} was not recorded in the ledger: {}", callId, e.getMessage());
  }
}
