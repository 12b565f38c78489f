package org.callchain.node.demo;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bounded polling: asks a probe until it answers or the bound passes, then fails with what was
 * expected and what the last poll saw. Nothing here sleeps for a fixed time to let something
 * happen.
 */
public final class Await {
  private static final long POLL_MILLIS = 100;

  /** One look at the world: an answer, or empty for "not yet". */
  @FunctionalInterface
  public interface Probe<T> {
    Optional<T> poll() throws Exception;
  }

  private Await() {}

  /**
   * Polls {@code probe} until it answers; after {@code bound}, fails naming {@code expected} and
   * {@code seen} (asked once at the end), or the probe's last exception.
   */
  public static <T> T until(Duration bound, String expected, Probe<T> probe, Supplier<String> seen)
      throws StepFailedException, InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    Exception last = null;
    while (true) {
      try {
        Optional<T> answer = probe.poll();
        if (answer.isPresent()) {
          return answer.get();
        }
        last = null;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        String what = last != null ? last.toString() : safely(seen);
        throw new StepFailedException(
            expected + " within " + bound.toMillis() / 1000.0 + " s", what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static String safely(Supplier<String> seen) {
    try {
      return seen.get();
    } catch (RuntimeException e) {
      return "(could not look: " + e + ")";
    }
  }
}
