package org.callchain.net.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;

/**
 * A js-libp2p peer in a child process ({@code tools/libp2p-interop/interop-node.mjs}), driven by
 * JSON lines. Runs {@code npm ci} first when the pinned dependencies are not installed. A missing
 * {@code node} or {@code npm} fails the test with the package to install (ADR 0002: interop tests
 * never skip). Always {@link #close()} it (try-with-resources or {@code @AfterAll}).
 */
public final class JsLibp2pPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Writer stdin;
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();
  private final StringBuffer stderr;
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final PeerId peerId;
  private final Multiaddr address;

  private JsLibp2pPeer(Process process, JsonNode listening, StringBuffer stderr) throws Exception {
    this.process = process;
    this.stderr = stderr;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.peerId = PeerId.parse(listening.get("peerId").asText());
    this.address = Multiaddr.parse(listening.get("addrs").get(0).asText());
  }

  /** Starts a peer with an Ed25519 key (js-libp2p's default). */
  public static JsLibp2pPeer start() throws Exception {
    return start("Ed25519");
  }

  /** Starts a peer with the given key type: {@code Ed25519} or {@code secp256k1}. */
  public static JsLibp2pPeer start(String keyType) throws Exception {
    Path dir = toolDirectory();
    String node = requireTool("node", "nodejs");
    String npm = requireTool("npm", "npm");
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      run(dir, Duration.ofMinutes(5), npm, "ci", "--no-audit", "--no-fund");
    }
    ProcessBuilder builder = new ProcessBuilder(node, "interop-node.mjs").directory(dir.toFile());
    builder.environment().put("KEY_TYPE", keyType);
    Process process = builder.start();
    CompletableFuture<JsonNode> listening = new CompletableFuture<>();
    JsLibp2pPeer[] self = new JsLibp2pPeer[1];
    StringBuffer early = new StringBuffer();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  JsonNode message;
                  try {
                    message = JSON.readTree(line);
                  } catch (IOException e) {
                    early.append(line).append('\n');
                    continue;
                  }
                  if (!listening.isDone() && "listening".equals(message.path("event").asText())) {
                    listening.complete(message);
                  } else if (self[0] != null) {
                    self[0].onMessage(message);
                  }
                }
              } catch (IOException e) {
                // the process ended; pending commands fail on their timeout
              }
              listening.completeExceptionally(
                  new IllegalStateException("js-libp2p peer exited: " + early));
            },
            "js-libp2p-stdout");
    reader.setDaemon(true);
    Thread errors =
        new Thread(
            () -> {
              try {
                early.append(
                    new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                // process ended
              }
            },
            "js-libp2p-stderr");
    errors.setDaemon(true);
    reader.start();
    errors.start();
    try {
      JsonNode first = listening.get(60, TimeUnit.SECONDS);
      JsLibp2pPeer peer = new JsLibp2pPeer(process, first, early);
      synchronized (peer.events) {
        self[0] = peer;
      }
      return peer;
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError("js-libp2p peer did not start: " + early, e);
    }
  }

  private void onMessage(JsonNode message) {
    if (message.has("id") && message.has("ok")) {
      CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    synchronized (events) {
      events.add(message);
      events.notifyAll();
    }
  }

  public PeerId peerId() {
    return peerId;
  }

  /** Its listen address including {@code /p2p/}. */
  public Multiaddr address() {
    return address;
  }

  public void dial(Multiaddr target) throws Exception {
    command("dial", Map.of("addr", target.toString()));
  }

  /** Pings the target with js-libp2p's ping service; returns the RTT in milliseconds. */
  public double ping(Multiaddr target) throws Exception {
    return command("ping", Map.of("addr", target.toString())).get("rttMs").asDouble();
  }

  public void subscribe(String topic) throws Exception {
    command("subscribe", Map.of("topic", topic));
  }

  /** Publishes and returns the ids of the peers the message was sent to. */
  public List<String> publish(String topic, byte[] data) throws Exception {
    JsonNode reply =
        command(
            "publish", Map.of("topic", topic, "data", Base64.getEncoder().encodeToString(data)));
    List<String> recipients = new ArrayList<>();
    reply.get("recipients").forEach(n -> recipients.add(n.asText()));
    return recipients;
  }

  /**
   * The reply of {@code peers}: {@code peers}, and with a topic {@code meshPeers}/{@code
   * topicPeers}.
   */
  public JsonNode peers(String topic) throws Exception {
    return command("peers", topic == null ? Map.of() : Map.of("topic", topic));
  }

  /** Runs identify against a connected peer from the JS side. */
  public JsonNode identify(PeerId peer) throws Exception {
    return command("identify", Map.of("peer", peer.toBase58()));
  }

  /** Waits for an event (already seen or future) that matches. */
  public JsonNode awaitEvent(Predicate<JsonNode> matcher, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (JsonNode event : events) {
          if (matcher.test(event)) {
            return event;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no matching js-libp2p event within "
                  + timeout
                  + "; saw "
                  + events
                  + "; stderr: "
                  + stderr);
        }
        events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** A command reply; throws if the JS side reported an error. */
  public JsonNode command(String cmd, Map<String, String> args) throws Exception {
    int id = nextId.getAndIncrement();
    ObjectNode request = JSON.createObjectNode().put("id", id).put("cmd", cmd);
    args.forEach(request::put);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    synchronized (stdin) {
      stdin.write(JSON.writeValueAsString(request) + "\n");
      stdin.flush();
    }
    JsonNode result = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!result.get("ok").asBoolean()) {
      throw new IllegalStateException(
          "js-libp2p " + cmd + " failed: " + result.path("error").asText());
    }
    return result;
  }

  @Override
  public void close() {
    try {
      synchronized (stdin) {
        stdin.write("{\"id\":0,\"cmd\":\"stop\"}\n");
        stdin.flush();
      }
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }

  private static Path toolDirectory() {
    String root = System.getenv("CALLCHAIN_ROOT");
    Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("tools/libp2p-interop/interop-node.mjs");
      if (Files.exists(candidate)) {
        return candidate.getParent();
      }
    }
    throw new AssertionError("tools/libp2p-interop not found above " + start);
  }

  private static String requireTool(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(
        "'"
            + name
            + "' not found on PATH: install Node.js >= 20 (Debian package '"
            + debianPackage
            + "')");
  }

  private static void run(Path dir, Duration timeout, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return e.toString();
              }
            });
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + output.get());
    }
  }
}
