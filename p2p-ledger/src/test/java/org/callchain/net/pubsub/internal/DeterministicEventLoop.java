package org.callchain.net.pubsub.internal;

import java.time.Duration;
import java.util.PriorityQueue;
import org.callchain.net.pubsub.EventLoop;

/**
 * An {@link EventLoop} with virtual time for tests: tasks run on the calling thread, in time order
 * and then submission order, only when the test advances the clock. Many routers can share one
 * loop, which makes a whole simulated network deterministic.
 */
public final class DeterministicEventLoop implements EventLoop {
  private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long now = 1_000_000;
  private long seq;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(new Task(now, seq++, task, new boolean[1]));
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable task) {
    boolean[] cancelled = new boolean[1];
    queue.add(new Task(now + Math.max(0, delay.toMillis()), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs every task that is due now, including those they queue for now. */
  public void runDue() {
    runUntil(now);
  }

  /** Advances the clock by the duration, running every task that falls due on the way. */
  public void advance(Duration d) {
    runUntil(now + d.toMillis());
  }

  private void runUntil(long target) {
    int budget = 50_000_000;
    while (!queue.isEmpty() && queue.peek().due <= target) {
      if (--budget == 0) {
        throw new IllegalStateException("event loop does not settle");
      }
      Task t = queue.poll();
      now = Math.max(now, t.due);
      if (!t.cancelled[0]) {
        t.run.run();
      }
    }
    now = target;
  }
}
