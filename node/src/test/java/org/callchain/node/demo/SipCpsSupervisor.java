package org.callchain.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreStrength;

/**
 * The answering sides of {@code bench/sip-cps-node}, started and stopped one at a time on request
 * of {@code bench/sip_cps_driver.py}, and the signer of the Identity headers SIPp sends them:
 *
 * <ul>
 *   <li>{@code off}: {@code callchain phone --auto-answer} — no admission hook, no ledger (the
 *       phone of {@code bench/sip-cps});
 *   <li>{@code on}: a real {@code callchain node} process answering automatically, its device and
 *       the caller's device registered on a local Anvil (1-second blocks) with the contracts
 *       deployed, identity admission on, every call recorded and committed in batches ({@code
 *       --commit-batch}, {@code --commit-max-delay}), libp2p and the anchor service running with
 *       the defaults of {@code callchain init}.
 * </ul>
 *
 * Both JVMs get the flags of {@code CALLCHAIN_JAVA_OPTS} ({@link CallchainJvm#jvmFlags}). The
 * caller is SIPp: its device key (a keystore made here, registered for {@link #CALLER_IDENTITY})
 * signs one header per call into a SIPp injection file ({@link SippIdentityFile}), for both sides
 * alike, so that both see the same messages.
 *
 * <p>Protocol: one JSON request per line on stdin, one answer per line on stdout starting with
 * {@link #ANSWER} (everything else it prints is diagnostics):
 *
 * <pre>
 * {"op":"start","peer":"on"}  → {"target":"127.0.0.1:P","service":"bob","uri":…,"pid":…,"control":…}
 * {"op":"inject","peer":"on","calls":N,"rate":R,"sippPort":P,"path":F}
 *                             → {"cidStr":…,"lines":N,"signSeconds":…}
 * {"op":"stop","peer":"on"}   → {"exit":0}
 * </pre>
 *
 * A side may be stopped and started again (the driver gives every sustained attempt a new process):
 * each start is a new process with its own directory and log ({@code on}, {@code on-2}, ...; for ON
 * a new Anvil, chain and device too). End of input stops whatever still runs. Usage: {@code
 * SipCpsSupervisor WORK-DIR COMMIT-BATCH COMMIT-MAX-DELAY}.
 */
public final class SipCpsSupervisor {
  static final String ANSWER = "cps> ";

  /** The SIP identity the caller's device is registered for; SIPp's From adds its port. */
  static final String CALLER_IDENTITY = "sip:sipp@127.0.0.1";

  private static final String SERVICE = "bob";
  private static final Duration BOUND = Duration.ofSeconds(90);

  private final Path work;
  private final List<String> commitOptions;
  private final ObjectMapper json = new ObjectMapper();
  private final FreePorts ports = new FreePorts();
  private DeviceKey caller;
  private Process offPhone;
  private String offUri;
  private DemoNetwork network;
  private DemoDevice onDevice;

  /** Processes started per side: a restarted side gets its own directory and log. */
  private final Map<String, Integer> starts = new HashMap<>();

  /** Signing time per line of the last file, to plan the first call after signing ends. */
  private long nanosPerLine = 300_000;

  private SipCpsSupervisor(Path work, String commitBatch, String commitMaxDelay) {
    this.work = work;
    this.commitOptions =
        List.of("--commit-batch", commitBatch, "--commit-max-delay", commitMaxDelay);
  }

  public static void main(String[] args) throws Exception {
    PrintStream answers = System.out;
    // Diagnostics of the harness (and of libraries) go to stderr; stdout carries answers only.
    System.setOut(System.err);
    SipCpsSupervisor s = new SipCpsSupervisor(Path.of(args[0]), args[1], args[2]);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode answer;
        try {
          answer = s.handle(s.json.readTree(line));
        } catch (Exception e) {
          answer = s.json.createObjectNode().put("error", String.valueOf(e.getMessage()));
          e.printStackTrace(System.err);
        }
        answers.println(ANSWER + s.json.writeValueAsString(answer));
        answers.flush();
      }
    } finally {
      s.stopOff();
      s.stopOn();
    }
  }

  private ObjectNode handle(JsonNode request) throws Exception {
    String op = request.path("op").asText();
    String peer = request.path("peer").asText();
    if (!peer.equals("off") && !peer.equals("on")) {
      throw new IllegalArgumentException("peer must be off or on, not '" + peer + "'");
    }
    return switch (op) {
      case "start" -> peer.equals("off") ? startOff() : startOn();
      case "inject" -> inject(peer, request);
      case "stop" -> json.createObjectNode().put("exit", peer.equals("off") ? stopOff() : stopOn());
      default -> throw new IllegalArgumentException("unknown op '" + op + "'");
    };
  }

  private DeviceKey caller() throws Exception {
    if (caller == null) {
      Files.createDirectories(work);
      caller =
          DeviceKeystore.create(
              work.resolve("caller-keystore.json"),
              DemoNetwork.PASSWORD.toCharArray(),
              KeystoreStrength.LIGHT);
    }
    return caller;
  }

  private ObjectNode startOff() throws Exception {
    int port = ports.next();
    offPhone =
        CallchainJvm.start(
            List.of("phone", "--sip-port", Integer.toString(port), "--auto-answer", "--quiet"),
            true);
    offPhone.getOutputStream().close();
    Path log = work.resolve(instance("off") + ".log");
    Files.createDirectories(work);
    Thread pump =
        new Thread(
            () -> {
              try (var in = offPhone.getInputStream()) {
                Files.copy(in, log, StandardCopyOption.REPLACE_EXISTING);
              } catch (IOException e) {
                System.err.println("off phone output: " + e.getMessage());
              }
            },
            "off-phone-output");
    pump.setDaemon(true);
    pump.start();
    awaitUdpBound(port, offPhone);
    offUri = DemoDevice.sipUri(SERVICE, port);
    return json.createObjectNode()
        .put("target", "127.0.0.1:" + port)
        .put("service", SERVICE)
        .put("uri", offUri)
        .put("pid", offPhone.pid());
  }

  private ObjectNode startOn() throws Exception {
    Path dir = work.resolve(instance("on"));
    network = DemoNetwork.start(dir, Duration.ofSeconds(1), List.of(), Map.of());
    int sip = ports.next();
    int p2p = ports.next();
    int control = ports.next();
    Path home = dir.resolve(SERVICE);
    Path password = Files.writeString(dir.resolve(SERVICE + ".password"), DemoNetwork.PASSWORD);
    DemoChain chain = network.chain();
    List<String> init =
        DemoNetwork.initArguments(
            home, DemoDevice.sipUri(SERVICE, sip), password, p2p, control, chain);
    init.addAll(commitOptions);
    CommandResult r = CallchainJvm.run(Duration.ofSeconds(120), init.toArray(String[]::new));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("callchain init failed: " + r.output());
    }
    onDevice = DemoDevice.fromInit(SERVICE, home, password, sip, p2p, control, r);
    network.register(onDevice);
    chain.register(caller().address().toHex(), CALLER_IDENTITY);
    ReadyLine ready = network.startNodes(List.of(onDevice)).get(0);
    return json.createObjectNode()
        .put("target", "127.0.0.1:" + sip)
        .put("service", SERVICE)
        .put("uri", onDevice.sipUri())
        .put("pid", network.node(onDevice).pid())
        .put("control", ready.control().toString())
        .put("device", onDevice.address())
        .put("caller", caller().address().toHex())
        .put("anvil", chain.rpcUrl());
  }

  /**
   * The name of a side's next process: {@code off}/{@code on} first, then {@code on-2}, ... (the
   * driver restarts a side before every sustained attempt; each process keeps its own files).
   */
  private String instance(String peer) {
    int n = starts.merge(peer, 1, Integer::sum);
    return n == 1 ? peer : peer + "-" + n;
  }

  private ObjectNode inject(String peer, JsonNode request) throws Exception {
    String dest = peer.equals("off") ? offUri : onDevice == null ? null : onDevice.sipUri();
    if (dest == null) {
      throw new IllegalStateException("peer " + peer + " is not started");
    }
    int calls = request.path("calls").asInt();
    double rate = request.path("rate").asDouble();
    int sippPort = request.path("sippPort").asInt();
    Path file = Path.of(request.path("path").asText());
    String prefix =
        "cps"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
            + "-"
            + peer
            + "-r"
            + (long) rate;
    long started = System.nanoTime();
    // SIPp starts once the file is written: its first call is planned after the expected signing
    // time, so that no token is older than the run's own lag when it is sent.
    long planned = Math.min(calls * nanosPerLine, 50_000_000_000L);
    Instant firstCall = Instant.now().plusNanos(planned);
    SippIdentityFile.write(
        file,
        caller(),
        CALLER_IDENTITY + ":" + sippPort,
        dest,
        prefix,
        "127.0.0.1",
        calls,
        firstCall,
        rate);
    long took = System.nanoTime() - started;
    nanosPerLine = took / calls;
    return json.createObjectNode()
        .put("cidStr", SippIdentityFile.cidStr(prefix, "127.0.0.1"))
        .put("lines", calls)
        .put("signSeconds", took / 1e9)
        .put("firstCallPlannedAfterSeconds", planned / 1e9);
  }

  private int stopOff() throws InterruptedException {
    if (offPhone == null) {
      return -1;
    }
    CallchainJvm.end(offPhone, Duration.ofSeconds(15));
    int code = offPhone.exitValue();
    offPhone = null;
    offUri = null;
    return code;
  }

  private int stopOn() throws InterruptedException {
    if (network == null) {
      return -1;
    }
    int code = network.stopNodes().getOrDefault(SERVICE, -1);
    network.close();
    network = null;
    onDevice = null;
    return code;
  }

  /** Waits until something has bound UDP {@code port} (the phone's SIP socket). */
  private static void awaitUdpBound(int port, Process p) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the phone exited with " + p.exitValue());
      }
      DatagramSocket probe;
      try {
        probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (SocketException bound) {
        return;
      }
      probe.close(); // still free: the phone is starting
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("the phone did not bind UDP " + port + " in " + BOUND);
  }
}
