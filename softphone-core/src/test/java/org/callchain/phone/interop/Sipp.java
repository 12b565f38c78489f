package org.callchain.phone.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A SIPp run on loopback: a built-in scenario ({@code -sn uac}, {@code -sn uas}) or one of ours
 * from {@code src/test/resources/sipp/}, with ephemeral signalling and media ports, a call count, a
 * rate, and a hard timeout. Results come from SIPp's own statistics file ({@code -trace_stat}), not
 * from scraping its screen.
 *
 * <p>Use {@link #run()} for a UAC that is expected to finish, or {@link #start()} for a UAS that
 * must be listening before our phone calls it; either way the process is killed when the run is
 * over, also on failure.
 */
public final class Sipp {
  private final String builtIn;
  private final String resource;
  private String remote;
  private int localPort = FreePorts.udpAndTcp();
  private int mediaPort = FreePorts.rtpPair();
  private int calls = 1;
  private double rate = 10;
  private int ratePeriodMs = 1000;
  private int limit = 0;
  private String transport = "u1";
  private String service = "service";
  private String authUser;
  private String authPassword;
  private boolean rtpEcho;
  private Duration timeout = Duration.ofSeconds(30);
  private final Map<String, String> keys = new LinkedHashMap<>();
  private final List<String> extraArgs = new ArrayList<>();
  private final Map<String, byte[]> files = new LinkedHashMap<>();

  private Sipp(String builtIn, String resource) {
    this.builtIn = builtIn;
    this.resource = resource;
  }

  /** One of SIPp's built-in scenarios: {@code uac}, {@code uas}, {@code uac_pcap}, ... */
  public static Sipp builtIn(String name) {
    return new Sipp(name, null);
  }

  /** One of our scenarios, a classpath resource such as {@code sipp/uac-cancel-after-180.xml}. */
  public static Sipp scenario(String classpathResource) {
    return new Sipp(null, classpathResource);
  }

  /** Where a UAC sends its requests, {@code host:port}. */
  public Sipp target(String hostPort) {
    this.remote = hostPort;
    return this;
  }

  public Sipp localPort(int port) {
    this.localPort = port;
    return this;
  }

  public int localPort() {
    return localPort;
  }

  public int mediaPort() {
    return mediaPort;
  }

  /** The local address in {@code host:port} form, for our phone to call a UAS. */
  public String address() {
    return "127.0.0.1:" + localPort;
  }

  /** Stop after this many calls ({@code -m}). */
  public Sipp calls(int n) {
    this.calls = n;
    return this;
  }

  /** {@code -r callsPerPeriod -rp periodMs}. */
  public Sipp rate(double callsPerPeriod, int periodMs) {
    this.rate = callsPerPeriod;
    this.ratePeriodMs = periodMs;
    return this;
  }

  /** At most this many calls open at once ({@code -l}); 0 for SIPp's default. */
  public Sipp limit(int simultaneousCalls) {
    this.limit = simultaneousCalls;
    return this;
  }

  /** UDP ({@code u1}) or one TCP connection ({@code t1}). */
  public Sipp tcp() {
    this.transport = "t1";
    return this;
  }

  /** The user part of the Request-URI ({@code -s}), also the REGISTER user in our scenarios. */
  public Sipp service(String user) {
    this.service = user;
    return this;
  }

  /** Credentials SIPp answers a 401/407 with ({@code -au}/{@code -ap}). */
  public Sipp auth(String user, String password) {
    this.authUser = user;
    this.authPassword = password;
    return this;
  }

  /** Echo received RTP back to its sender ({@code -rtp_echo} on the media port). */
  public Sipp rtpEcho() {
    this.rtpEcho = true;
    return this;
  }

  /** A scenario keyword ({@code -key name value}), used as {@code [name]} in our XML. */
  public Sipp key(String name, String value) {
    keys.put(name, value);
    return this;
  }

  public Sipp timeout(Duration d) {
    this.timeout = d;
    return this;
  }

  public Sipp extraArgs(String... args) {
    extraArgs.addAll(List.of(args));
    return this;
  }

  /**
   * A file in SIPp's working directory, for scenario actions that name one ({@code rtp_stream},
   * {@code play_pcap_audio}): SIPp reads those names when it loads the scenario, before any {@code
   * -key} substitution, so the scenario uses a fixed relative name.
   */
  public Sipp file(String name, byte[] content) {
    files.put(name, content.clone());
    return this;
  }

  /** Runs to completion (or the timeout) and returns what SIPp counted. */
  public SippResult run() throws InterruptedException {
    try (Running running = start()) {
      return running.awaitResult();
    }
  }

  /** Starts SIPp in the background; for a UAS, returns once it listens on its port. */
  public Running start() throws InterruptedException {
    Path sipp = ExternalTool.SIPP.require();
    Path dir;
    try {
      dir = Files.createTempDirectory("callchain-sipp-");
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Files.write(dir.resolve(f.getKey()), f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(sipp.toString());
    if (builtIn != null) {
      cmd.addAll(List.of("-sn", builtIn));
    } else {
      cmd.addAll(List.of("-sf", copyScenario(dir).toString()));
    }
    if (remote != null) {
      cmd.add(remote);
    }
    cmd.addAll(List.of("-i", "127.0.0.1", "-p", Integer.toString(localPort)));
    cmd.addAll(List.of("-mi", "127.0.0.1", "-mp", Integer.toString(mediaPort)));
    cmd.addAll(List.of("-t", transport, "-m", Integer.toString(calls)));
    cmd.addAll(List.of("-r", formatRate(), "-rp", Integer.toString(ratePeriodMs)));
    if (limit > 0) {
      cmd.addAll(List.of("-l", Integer.toString(limit)));
    }
    cmd.addAll(List.of("-s", service));
    if (authUser != null) {
      cmd.addAll(List.of("-au", authUser, "-ap", authPassword));
    }
    if (rtpEcho) {
      cmd.add("-rtp_echo");
    }
    keys.forEach((k, v) -> cmd.addAll(List.of("-key", k, v)));
    cmd.addAll(List.of("-nostdin", "-timeout", timeout.toSeconds() + "s", "-timeout_error"));
    cmd.addAll(List.of("-trace_stat", "-stf", dir.resolve("stat.csv").toString(), "-fd", "1"));
    cmd.addAll(List.of("-trace_err", "-error_file", dir.resolve("errors.log").toString()));
    cmd.addAll(List.of("-trace_screen", "-screen_file", dir.resolve("screen.log").toString()));
    cmd.addAll(extraArgs);
    ManagedProcess process = ManagedProcess.start("sipp", cmd, dir, dir.resolve("sipp.out"));
    Running running = new Running(process, dir, timeout.plusSeconds(10), localPort);
    if (remote == null) {
      running.awaitListening(localPort);
    }
    return running;
  }

  private String formatRate() {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  private Path copyScenario(Path dir) {
    try (InputStream in = Sipp.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no SIPp scenario on the classpath: " + resource);
      }
      Path target = dir.resolve(Path.of(resource).getFileName().toString());
      Files.copy(in, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A started SIPp process. Closing it kills SIPp if it still runs and removes its files. */
  public static final class Running implements AutoCloseable {
    private final ManagedProcess process;
    private final Path dir;
    private final Duration hardLimit;
    private final int port;

    private Running(ManagedProcess process, Path dir, Duration hardLimit, int port) {
      this.process = process;
      this.dir = dir;
      this.hardLimit = hardLimit;
      this.port = port;
    }

    /** SIPp's signalling address, {@code 127.0.0.1:PORT}, for our phone to call a UAS. */
    public String address() {
      return "127.0.0.1:" + port;
    }

    public int port() {
      return port;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    private void awaitListening(int port) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("SIPp exited before listening:\n" + process.tail(30));
        }
        if (PortProbe.udpInUse(port)) {
          return;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("SIPp did not bind UDP port " + port + " within 10 s");
    }

    /** Waits for SIPp to finish by itself (bounded), then reads its counters. */
    public SippResult awaitResult() throws InterruptedException {
      OptionalInt exit = process.awaitExit(hardLimit);
      if (exit.isEmpty()) {
        process.stop();
      }
      return read(exit.orElse(-1));
    }

    /** Stops SIPp now (a UAS that has served its calls) and reads its counters. */
    public SippResult stopAndRead() {
      process.stop();
      return read(process.process().exitValue());
    }

    private SippResult read(int exitCode) {
      Map<String, String> last = SippStatistics.lastRow(dir.resolve("stat.csv"));
      return new SippResult(
          exitCode,
          SippStatistics.counter(last, "TotalCallCreated"),
          SippStatistics.counter(last, "SuccessfulCall(C)"),
          SippStatistics.counter(last, "FailedCall(C)"),
          head(dir.resolve("errors.log"), 4000),
          head(dir.resolve("screen.log"), 4000) + tailOfOutput());
    }

    private String tailOfOutput() {
      String tail = process.tail(15);
      return tail.isBlank() ? "" : "\n--- output ---\n" + tail;
    }

    private static String head(Path file, int chars) {
      try {
        if (!Files.exists(file)) {
          return "";
        }
        String s = Files.readString(file, StandardCharsets.ISO_8859_1);
        return s.length() <= chars ? s : s.substring(0, chars) + "\n...(truncated)";
      } catch (IOException e) {
        return "(cannot read " + file + ")";
      }
    }

    @Override
    public void close() {
      process.stop();
      TempDirs.deleteRecursively(dir);
    }
  }
}
