package org.callchain.node.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SIGINT/SIGTERM for a long-running command. The JVM halts as soon as its shutdown hooks return, so
 * the hook releases the command's main thread and then waits (bounded by the grace period) until
 * that thread has closed everything and the command has returned its exit status to {@link
 * Main#main}, which hands it over with {@link #commandEnded(int)}.
 *
 * <p>The hook then halts the JVM with that status: a stop that was asked for and completed is a
 * success (0), not the JVM's 128 + signal number (143 for SIGTERM), which service managers such as
 * systemd count as a failure unless told otherwise ({@code SuccessExitStatus=}). If the close does
 * not finish within the grace period, the hook returns and the JVM exits with 128 + signal.
 */
final class ShutdownSignal {
  /** The status of the command run by {@link Main#main}; one command per JVM. */
  private static final CompletableFuture<Integer> COMMAND_STATUS = new CompletableFuture<>();

  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownSignal(String threadName, Duration grace) {
    hook = new Thread(() -> stopAndHalt(grace), threadName);
  }

  /** Registers the hook; the caller must call {@link #closed()} in a finally block. */
  static ShutdownSignal install(String threadName, Duration grace) {
    ShutdownSignal signal = new ShutdownSignal(threadName, grace);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /**
   * The command run by {@link Main#main} returned {@code status}. A hook waiting for it halts the
   * JVM with that status; without a signal this does nothing (the caller exits as usual).
   */
  static void commandEnded(int status) {
    COMMAND_STATUS.complete(status);
  }

  /** Blocks until a signal arrives. */
  void await() throws InterruptedException {
    stop.await();
  }

  /** Blocks until a signal arrives or {@code timeout} passes. */
  void await(Duration timeout) throws InterruptedException {
    stop.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything is closed: removes the hook if no signal came (the command ends normally). */
  void closed() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The JVM is exiting because of the signal; the hook is waiting for commandEnded.
    }
  }

  private void stopAndHalt(Duration grace) {
    stop.countDown();
    int status;
    try {
      status = COMMAND_STATUS.get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException notClosedInTime) {
      return; // the JVM exits with 128 + signal: the stop did not complete
    }
    System.out.flush();
    System.err.flush();
    // Other hooks may still run, but everything they guard (the node's Anvil, its stores) was
    // closed by the command before it returned.
    Runtime.getRuntime().halt(status);
  }
}
