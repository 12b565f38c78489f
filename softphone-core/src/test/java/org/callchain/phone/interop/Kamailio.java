package org.callchain.phone.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kamailio as a registrar and record-routing proxy on 127.0.0.1, UDP and TCP on one free port, with
 * digest authentication against passwords given here (no database server). The config is generated
 * from {@code kamailio/registrar-proxy.cfg} into a temp directory and checked with {@code kamailio
 * -c} before the start; Kamailio runs in the foreground ({@code -DD -E}) with its own pid file,
 * runtime directory and control socket, so no root privileges are needed.
 *
 * <p>The location table lives in memory: {@link #restart()} on the same port gives a registrar that
 * has forgotten every binding, which is what the re-REGISTER test needs. Each request the proxy
 * receives is logged as {@code CALLCHAIN-TRACE <method> <ruri> ...}, read back by {@link
 * #tracedRequests()}.
 */
public final class Kamailio implements AutoCloseable {
  private static final String MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";
  private static final Pattern TRACE =
      Pattern.compile("CALLCHAIN-TRACE (\\S+) (\\S+) from (\\S+) proto=(\\S+)");
  private static final Pattern CONTACT = Pattern.compile("Address: (\\S+)");

  private final Map<String, String> passwords;
  private final Path dir;
  private final int port;
  private ManagedProcess process;
  private int generation;

  private Kamailio(Map<String, String> passwords, Path dir, int port) {
    this.passwords = new TreeMap<>(passwords);
    this.dir = dir;
    this.port = port;
  }

  /** Generates the config for these users (user name to password), checks it and starts. */
  public static Kamailio start(Map<String, String> passwords) throws InterruptedException {
    ExternalTool.KAMAILIO.require();
    ExternalTool.KAMCMD.require();
    Path dir;
    try {
      dir = Files.createTempDirectory("callchain-kamailio-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Kamailio kamailio = new Kamailio(passwords, dir, FreePorts.udpAndTcp());
    try {
      kamailio.writeConfig();
      kamailio.checkConfig();
      kamailio.launch();
      return kamailio;
    } catch (RuntimeException | InterruptedException | Error e) {
      kamailio.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The SIP domain users register in; the registrar is addressed by IP. */
  public String domain() {
    return "127.0.0.1";
  }

  /** {@code sip:127.0.0.1:PORT}, the registrar/outbound proxy URI. */
  public String uri() {
    return "sip:127.0.0.1:" + port;
  }

  /** The address of record of a user at this registrar, {@code sip:user@127.0.0.1:PORT}. */
  public String addressOfRecord(String user) {
    return "sip:" + user + "@127.0.0.1:" + port;
  }

  public Path configFile() {
    return dir.resolve("kamailio.cfg");
  }

  /** Stops Kamailio and starts it again on the same port with an empty location table. */
  public void restart() throws InterruptedException {
    process.stop();
    launch();
  }

  /** Stops Kamailio (it can be started again with {@link #restart()}). */
  public void stop() {
    if (process != null) {
      process.stop();
    }
  }

  /** The contacts currently bound to {@code user}'s address of record, from {@code ul.lookup}. */
  public List<String> contacts(String user) throws InterruptedException {
    String out = kamcmd("ul.lookup", "location", user);
    List<String> contacts = new ArrayList<>();
    if (out.contains("AOR not found")) {
      return contacts;
    }
    Matcher m = CONTACT.matcher(out);
    while (m.find()) {
      contacts.add(m.group(1));
    }
    return contacts;
  }

  /** Polls {@link #contacts} until they satisfy {@code condition}; returns the last value seen. */
  public List<String> awaitContacts(
      String user, Predicate<List<String>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = contacts(user);
    while (!condition.test(seen) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      seen = contacts(user);
    }
    return seen;
  }

  /** A request the proxy received, as traced by the config's {@code xlog}. */
  public record TracedRequest(String method, String requestUri, String source, String transport) {}

  /** Every request this Kamailio instance (all generations) received, in order. */
  public List<TracedRequest> tracedRequests() {
    List<TracedRequest> requests = new ArrayList<>();
    for (int g = 1; g <= generation; g++) {
      try {
        Path log = dir.resolve("kamailio-" + g + ".log");
        if (!Files.exists(log)) {
          continue;
        }
        Matcher m = TRACE.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
        while (m.find()) {
          requests.add(new TracedRequest(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return requests;
  }

  /** The current instance's log tail, for failure messages. */
  public String logTail() {
    return process == null ? "" : process.tail(40);
  }

  /** Runs {@code kamcmd} against this instance's control socket and returns its output. */
  public String kamcmd(String... command) throws InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ExternalTool.KAMCMD.require().toString());
    cmd.addAll(List.of("-s", "unix:" + dir.resolve("ctl.sock")));
    cmd.addAll(List.of(command));
    return ManagedProcess.runBounded(cmd, Duration.ofSeconds(10)).output();
  }

  private void writeConfig() {
    String template;
    try (InputStream in =
        Kamailio.class.getClassLoader().getResourceAsStream("kamailio/registrar-proxy.cfg")) {
      if (in == null) {
        throw new IllegalStateException("kamailio/registrar-proxy.cfg missing from the classpath");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder users = new StringBuilder();
    passwords.forEach(
        (user, pw) -> {
          requireToken(user);
          requireToken(pw);
          users.append("  $sht(passwords=>").append(user).append(") = \"").append(pw);
          users.append("\";\n");
        });
    String config =
        template
            .replace("@PORT@", Integer.toString(port))
            .replace("@MODULES@", MODULES)
            .replace("@CTL@", dir.resolve("ctl.sock").toString())
            .replace("@USERS@", users.toString());
    try {
      Files.writeString(configFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireToken(String s) {
    if (!s.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("user names and passwords must be plain tokens: " + s);
    }
  }

  private void checkConfig() throws InterruptedException {
    ManagedProcess.Completed check =
        ManagedProcess.runBounded(
            List.of(
                ExternalTool.KAMAILIO.require().toString(), "-c", "-f", configFile().toString()),
            Duration.ofSeconds(20));
    if (check.exitCode() != 0) {
      throw new AssertionError("kamailio -c rejected the generated config:\n" + check.output());
    }
  }

  private void launch() throws InterruptedException {
    generation++;
    List<String> cmd =
        List.of(
            ExternalTool.KAMAILIO.require().toString(),
            "-DD",
            "-E",
            "-f",
            configFile().toString(),
            "-P",
            dir.resolve("kamailio.pid").toString(),
            "-Y",
            dir.toString(),
            "-w",
            dir.toString(),
            "-m",
            "32",
            "-M",
            "8");
    process =
        ManagedProcess.start("kamailio", cmd, dir, dir.resolve("kamailio-" + generation + ".log"));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Kamailio exited at start:\n" + process.tail(40));
      }
      if (PortProbe.udpInUse(port)
          && Files.exists(dir.resolve("ctl.sock"))
          && kamcmd("core.uptime").contains("uptime")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Kamailio not ready on port " + port + " in 15 s:\n" + logTail());
  }

  @Override
  public void close() {
    stop();
    TempDirs.deleteRecursively(dir);
  }
}
