package org.callchain.node.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
   * The JVM options and environment of every callchain process, one {@code KEY=VALUE} a line; the
   * {@code callchain} launcher sources the same file.
   */
  static final String JVM_ENV_RESOURCE = "/callchain-jvm.env";

  static final String JAVA_OPTS = "CALLCHAIN_JAVA_OPTS";

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

  /**
   * A builder for {@code callchain ARGS...} in a new JVM with the launcher's flags and environment
   * (such as {@code MALLOC_ARENA_MAX}); a variable already set in this process's environment wins.
   */
  public static ProcessBuilder processBuilder(List<String> args) {
    ProcessBuilder pb = new ProcessBuilder(commandLine(args));
    launcherEnvironment().forEach(pb.environment()::putIfAbsent);
    pb.environment().putIfAbsent(JAVA_OPTS, String.join(" ", jvmFlags()));
    return pb;
  }

  /** The launcher's JVM flags: {@code CALLCHAIN_JAVA_OPTS} if set, else its defaults. */
  public static List<String> jvmFlags() {
    String env = System.getenv(JAVA_OPTS);
    String flags = env == null || env.isBlank() ? launcherEnvironment().get(JAVA_OPTS) : env;
    return Arrays.stream(flags.trim().split("\\s+")).toList();
  }

  /** The defaults of {@value #JVM_ENV_RESOURCE}, in file order. */
  static Map<String, String> launcherEnvironment() {
    try (InputStream in = CallchainJvm.class.getResourceAsStream(JVM_ENV_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(JVM_ENV_RESOURCE + " is missing from the class path");
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        int eq = l.indexOf('=');
        if (l.isEmpty() || l.startsWith("#") || eq < 1) {
          continue;
        }
        String value = l.substring(eq + 1);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        env.put(l.substring(0, eq), value);
      }
      if (!env.containsKey(JAVA_OPTS)) {
        throw new IllegalStateException(JVM_ENV_RESOURCE + " sets no " + JAVA_OPTS);
      }
      return env;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code callchain ARGS...}; the process is tracked until it exits. */
  static Process start(List<String> args, boolean mergeStderr) throws IOException {
    ProcessBuilder pb = processBuilder(args).redirectErrorStream(mergeStderr);
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
