package org.callchain.phone.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One external program started by a fixture, with stdout and stderr merged into a log file in the
 * fixture's temp directory. Closing it always ends the process and its children (SIGTERM, then
 * SIGKILL after a grace period), so a failing test never leaves a SIP peer bound to a port.
 */
public final class ManagedProcess implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(3);

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code workDir}; its output goes to {@code log}. */
  public static ManagedProcess start(String name, List<String> command, Path workDir, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    try {
      return new ManagedProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** The exit code and output of a short command run by {@link #runBounded}. */
  public record Completed(int exitCode, String output) {}

  /**
   * Runs a short command to completion with its output in a temp file (so a hung program cannot
   * block the reader); kills it and fails when it outlives {@code timeout}.
   */
  public static Completed runBounded(List<String> command, Duration timeout)
      throws InterruptedException {
    Path out = null;
    try {
      out = Files.createTempFile("callchain-cmd-", ".out");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish in " + timeout);
      }
      return new Completed(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // A leftover temp file is harmless.
        }
      }
    }
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the program to exit by itself; returns its exit code, or empty on timeout. */
  public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return java.util.OptionalInt.of(process.exitValue());
    }
    return java.util.OptionalInt.empty();
  }

  /** The last {@code lines} lines of the program's output, for failure messages. */
  public String tail(int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no output)";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** The whole output so far. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks the program to stop (SIGTERM) and waits for it; kills it if it does not stop in time. */
  public void stop() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    // Kamailio forks workers; they exit with the main process, but make sure.
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + "]";
  }
}
