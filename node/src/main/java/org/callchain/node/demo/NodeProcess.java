package org.callchain.node.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code callchain node --config FILE} process, supervised: its output goes to a log file (and
 * its last lines are kept for error messages), its {@code node ready:} line is awaited with a
 * bound, and it is stopped with SIGTERM (a clean shutdown) or killed with SIGKILL (a crash).
 */
public final class NodeProcess implements AutoCloseable {
  private static final int TAIL_LINES = 40;
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final CompletableFuture<ReadyLine> ready = new CompletableFuture<>();
  private final Deque<String> tail = new ArrayDeque<>();
  private final long startedNanos = System.nanoTime();
  private volatile long readyMillis;

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(() -> pump(log), "node-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the node of {@code config}; its output is appended to {@code log}. */
  public static NodeProcess start(String name, Path config, Path log) throws IOException {
    Process p = CallchainJvm.start(List.of("node", "--config", config.toString()), true);
    p.getOutputStream().close();
    return new NodeProcess(name, p, log);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits for the ready line; fails with the node's last output if it exits or takes too long. */
  public ReadyLine awaitReady(Duration bound) throws StepFailedException, InterruptedException {
    try {
      return ready.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new StepFailedException(
          "node " + name + " to print 'node ready:' within " + bound.toSeconds() + " s",
          (process.isAlive() ? "still starting" : "it exited with " + process.exitValue())
              + "; its last output:\n"
              + tail());
    }
  }

  /** Milliseconds from the start to the ready line; 0 until it is printed. */
  public long readyMillis() {
    return readyMillis;
  }

  /** SIGTERM and wait for a clean exit (SIGKILL after a grace period); returns the exit code. */
  public int stop() throws InterruptedException {
    CallchainJvm.end(process, GRACE);
    return process.exitValue();
  }

  /** SIGKILL, as a crash or a power cut would; returns the exit code. */
  public int kill() throws InterruptedException {
    process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    return process.exitValue();
  }

  /** The node's last lines of output. */
  public String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  private void pump(Path log) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        remember(line);
        if (!ready.isDone() && line.startsWith(ReadyLine.PREFIX)) {
          readyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
          try {
            ready.complete(ReadyLine.parse(line));
          } catch (IllegalArgumentException e) {
            ready.completeExceptionally(e);
          }
        }
      }
    } catch (IOException e) {
      remember("(output unreadable: " + e.getMessage() + ")");
    } finally {
      ready.completeExceptionally(new IOException("node " + name + " ended its output"));
    }
  }

  private void remember(String line) {
    synchronized (tail) {
      tail.addLast(line);
      while (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }
  }

  /** Stops the node; if interrupted meanwhile, kills it and keeps the interrupt. */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
