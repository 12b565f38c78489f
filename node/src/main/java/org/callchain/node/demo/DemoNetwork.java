package org.callchain.node.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callchain.chain.ChainException;

/**
 * The processes of a Callchain network on one machine, from nothing: a local chain with the
 * contracts, devices made by {@code callchain init} (each bootstraps from the devices made before
 * it, so the nodes form a full mesh), and one {@code callchain node} process per running device.
 * Closing it stops every node and the chain, whatever state they are in.
 */
public final class DemoNetwork implements AutoCloseable {
  public static final Duration READY = Duration.ofSeconds(90);
  static final String PASSWORD = "demo-only";

  private final Path dir;
  private final DemoChain chain;
  private final FreePorts ports = new FreePorts();
  private final Map<String, DemoDevice> devices = new LinkedHashMap<>();
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final List<String> nodeOptions;
  private final Map<String, String> chainKeys;

  private DemoNetwork(
      Path dir, DemoChain chain, List<String> nodeOptions, Map<String, String> chainKeys) {
    this.dir = dir;
    this.chain = chain;
    this.nodeOptions = nodeOptions;
    this.chainKeys = chainKeys;
  }

  /**
   * Starts the chain ({@code blockTime} blocks) in {@code dir}. {@code nodeOptions} are extra
   * {@code init} options every device gets (commit batching...); {@code chainKeys} are keys of the
   * {@code chain:} section (anchor cadence), given to {@code init} as its {@code --KEY VALUE}
   * options.
   */
  public static DemoNetwork start(
      Path dir, Duration blockTime, List<String> nodeOptions, Map<String, String> chainKeys)
      throws ChainException, IOException {
    Files.createDirectories(dir);
    DemoChain chain = DemoChain.start(blockTime, Files.createDirectories(dir.resolve("chain")));
    return new DemoNetwork(dir, chain, nodeOptions, chainKeys);
  }

  public DemoChain chain() {
    return chain;
  }

  public Path dir() {
    return dir;
  }

  /**
   * The arguments of {@code callchain init} for a device on {@code chain} that answers every call
   * at once: its directory, SIP URI, keystore password file, libp2p and control ports, and the
   * chain's RPC, id and contracts. Callers add their own options after these.
   */
  public static List<String> initArguments(
      Path home, String sipUri, Path password, int p2p, int control, DemoChain chain) {
    return new ArrayList<>(
        List.of(
            "init",
            "--dir",
            home.toString(),
            "--sip-uri",
            sipUri,
            "--password-file",
            password.toString(),
            "--p2p-port",
            Integer.toString(p2p),
            "--control-port",
            Integer.toString(control),
            "--rpc",
            chain.rpcUrl(),
            "--chain-id",
            Long.toString(chain.chainId()),
            "--registry",
            chain.registry().toString(),
            "--anchor",
            chain.anchor().toString(),
            "--auto-answer"));
  }

  /**
   * {@code callchain init} for a new device that answers calls, plays a {@code toneHz} tone and
   * records every call; it bootstraps from every device made before it.
   */
  public DemoDevice create(String name, int toneHz)
      throws IOException, InterruptedException, StepFailedException {
    Path home = dir.resolve(name);
    Path password = Files.writeString(dir.resolve(name + ".password"), PASSWORD + "\n");
    int sip = ports.next();
    int p2p = ports.next();
    int control = ports.next();
    List<String> args =
        initArguments(home, DemoDevice.sipUri(name, sip), password, p2p, control, chain);
    args.addAll(
        List.of("--play", "tone:" + toneHz, "--record-dir", home.resolve("recordings").toString()));
    for (DemoDevice earlier : devices.values()) {
      args.add("--bootstrap");
      args.add(earlier.multiaddr());
    }
    args.addAll(nodeOptions);
    chainKeys.forEach(
        (key, value) -> {
          args.add("--" + key);
          args.add(value);
        });
    CommandResult init = CallchainJvm.run(Duration.ofSeconds(60), args.toArray(String[]::new));
    if (init.exitCode() != 0) {
      throw new StepFailedException(
          "'callchain init' for " + name + " to exit 0",
          "exit " + init.exitCode() + ":\n" + init.output());
    }
    DemoDevice d = DemoDevice.fromInit(name, home, password, sip, p2p, control, init);
    devices.put(name, d);
    return d;
  }

  /** Funds the device's account for anchor gas and registers it with its SIP identity. */
  public String register(DemoDevice d) throws ChainException, IOException, InterruptedException {
    chain.fund(d.address());
    return chain.register(d.address(), d.sipUri());
  }

  /** Starts the node processes of {@code which} and waits for each one's ready line. */
  public List<ReadyLine> startNodes(List<DemoDevice> which)
      throws IOException, InterruptedException, StepFailedException {
    for (DemoDevice d : which) {
      nodes.put(d.name(), NodeProcess.start(d.name(), d.config(), log(d)));
    }
    List<ReadyLine> ready = new ArrayList<>();
    for (DemoDevice d : which) {
      ready.add(nodes.get(d.name()).awaitReady(READY));
    }
    return ready;
  }

  /** The running (or last run) node process of {@code d}. */
  public NodeProcess node(DemoDevice d) {
    NodeProcess p = nodes.get(d.name());
    if (p == null) {
      throw new IllegalStateException("no node was started for " + d.name());
    }
    return p;
  }

  /** The file the node process of {@code d} writes its output to. */
  public Path log(DemoDevice d) {
    return dir.resolve(d.name() + ".log");
  }

  public ControlClient control(DemoDevice d) {
    return new ControlClient(java.net.URI.create("http://127.0.0.1:" + d.controlPort()));
  }

  /** Stops every running node with SIGTERM (a clean shutdown), in parallel; returns exit codes. */
  public Map<String, Integer> stopNodes() throws InterruptedException {
    for (NodeProcess p : nodes.values()) {
      if (p.alive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
      }
    }
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (NodeProcess p : nodes.values()) {
      codes.put(p.name(), p.stop());
    }
    return codes;
  }

  /** Stops every node (killing them if interrupted meanwhile), then the chain. */
  @Override
  public void close() {
    try {
      stopNodes();
    } catch (InterruptedException e) {
      nodes.values().forEach(NodeProcess::close);
      Thread.currentThread().interrupt();
    } finally {
      chain.close();
    }
  }
}
