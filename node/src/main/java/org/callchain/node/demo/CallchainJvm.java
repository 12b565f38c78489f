package org.callchain.node.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs other {@code callchain} processes: the same Java, the same classes (the running jar or the
 * test class path), the JVM flags of the {@code callchain} launcher. Every process started here is
 * tracked, and a shutdown hook ends those still alive (SIGTERM, then SIGKILL), so neither a failed
 * step nor Ctrl-C leaves a node behind.
 */
public final class CallchainJvm {
  static final String MAIN_CLASS = "org.callchain.node.cli.Main";

  /**
   * The flags the {@code callchain} launcher script passes by default (it exports them as {@code
   * CALLCHAIN_JAVA_OPTS}, which wins when set): a small heap and a compact GC.
   */
  static final String LAUNCHER_FLAGS =
      "-Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(CallchainJvm::endAll, "callchain-children"));
  }

  private CallchainJvm() {}

  /** The command line that runs {@code callchain ARGS...} in a new JVM. */
  public static List<String> commandLine(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    // The product's logging (node/src/main/resources/logback.xml), also when the class path is a
    // test class path whose test jars bring a quieter logback-test.xml that logback would prefer.
    cmd.add("-Dlogback.configurationFile=logback.xml");
    String home = System.getProperty("callchain.home");
    if (home != null) {
      cmd.add("-Dcallchain.home=" + home);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN_CLASS);
    cmd.addAll(args);
    return cmd;
  }

  /** The launcher's JVM flags: {@code CALLCHAIN_JAVA_OPTS} if set, else its defaults. */
  public static List<String> jvmFlags() {
    String env = System.getenv("CALLCHAIN_JAVA_OPTS");
    String flags = env == null || env.isBlank() ? LAUNCHER_FLAGS : env;
    return Arrays.stream(flags.trim().split("\\s+")).toList();
  }

  /** Starts {@code callchain ARGS...}; the process is tracked until it exits. */
  static Process start(List<String> args, boolean mergeStderr) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(commandLine(args)).redirectErrorStream(mergeStderr);
    Process p = pb.start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    return p;
  }

  /**
   * Runs {@code callchain ARGS...} to its end and returns what it printed; a process still running
   * after {@code bound} is killed and reported with exit code -1.
   */
  public static CommandResult run(Duration bound, String... args)
      throws IOException, InterruptedException {
    List<String> list = List.of(args);
    Process p = start(list, false);
    p.getOutputStream().close();
    CompletableFuture<String> out = readAll(p.getInputStream());
    CompletableFuture<String> err = readAll(p.getErrorStream());
    boolean ended = p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    String errors = collect(err);
    if (!ended) {
      errors += "\n(killed: still running after " + bound.toSeconds() + " s)";
    }
    return new CommandResult(list, ended ? p.exitValue() : -1, collect(out), errors);
  }

  private static String collect(CompletableFuture<String> text) throws InterruptedException {
    try {
      return text.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Ends {@code p}: SIGTERM, and SIGKILL if it is still alive after {@code grace}. */
  static void end(Process p, Duration grace) throws InterruptedException {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static void endAll() {
    for (Process p : List.copyOf(LIVE)) {
      p.destroy();
    }
    for (Process p : List.copyOf(LIVE)) {
      try {
        end(p, GRACE);
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  private static CompletableFuture<String> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
          }
        });
  }
}
