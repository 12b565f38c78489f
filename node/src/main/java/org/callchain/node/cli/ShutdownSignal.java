package org.callchain.node.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT/SIGTERM for a long-running command. The JVM halts as soon as its shutdown hooks return, so
 * the hook releases the command's main thread and then waits (bounded by the grace period) until
 * that thread has closed everything cleanly and called {@link #closed()}.
 */
final class ShutdownSignal {
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownSignal(String threadName, Duration grace) {
    hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            threadName);
  }

  /** Registers the hook; the caller must call {@link #closed()} in a finally block. */
  static ShutdownSignal install(String threadName, Duration grace) {
    ShutdownSignal signal = new ShutdownSignal(threadName, grace);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** Blocks until a signal arrives. */
  void await() throws InterruptedException {
    stop.await();
  }

  /** Blocks until a signal arrives or {@code timeout} passes. */
  void await(Duration timeout) throws InterruptedException {
    stop.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything is closed: lets a running hook return, or removes the hook if none ran. */
  void closed() {
    stopped.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The JVM is exiting because of the signal; the hook has already run.
    }
  }
}
