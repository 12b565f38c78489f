package org.callchain.net.pubsub;

import java.time.Duration;

/**
 * The single thread a router runs on, and its clock. Every state change of a router happens in a
 * task of its loop, so the router needs no locks; tests substitute a loop with virtual time that
 * runs queued tasks deterministically.
 */
public interface EventLoop {

  /** Milliseconds on a monotonic clock (only differences are meaningful). */
  long nowMillis();

  /** Runs the task on the loop, after the tasks already queued. */
  void execute(Runnable task);

  /** Runs the task on the loop once the delay has passed. */
  Scheduled schedule(Duration delay, Runnable task);

  /** A scheduled task that has not necessarily run yet. */
  interface Scheduled {
    void cancel();
  }
}
