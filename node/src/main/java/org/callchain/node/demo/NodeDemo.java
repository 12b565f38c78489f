package org.callchain.node.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code callchain demo}: the whole product on one machine, from nothing. A local chain with the
 * contracts; three devices made by {@code callchain init} and registered, plus an impostor that is
 * not; three {@code callchain node} processes; calls between them with tone audio and recordings;
 * the impostor refused; every record replicated and anchored; a proof bundle verified offline; a
 * recording and a stored record altered, and the audit naming both. Each step prints what it
 * measured; the run exits 0 only if every step held, and leaves no process behind.
 */
public final class NodeDemo {
  /** 1-second blocks, as the brief's anchoring targets assume. */
  static final Duration BLOCK_TIME = Duration.ofSeconds(1);

  /** Every device commits each call at once and anchors within a couple of blocks. */
  static final List<String> NODE_OPTIONS =
      List.of("--commit-batch", "1", "--commit-max-delay", "200ms");

  /** Anchor every commit within a second, counted once its block is mined. */
  static final java.util.Map<String, String> CHAIN_KEYS =
      java.util.Map.of("anchor-every", "1s", "anchor-every-records", "1", "confirmations", "1");

  private static final int STEPS = 10;

  private final PrintWriter out;
  private int step;

  private NodeDemo(PrintWriter out) {
    this.out = out;
  }

  /** Runs the demo, printing its account to {@code out}; returns the exit status. */
  public static int run(PrintWriter out) {
    return new NodeDemo(out).run();
  }

  private int run() {
    long t0 = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("callchain-demo-");
    } catch (IOException e) {
      say("demo failed: cannot create a temporary directory: " + e.getMessage());
      return 1;
    }
    say(
        "Callchain demo: a chain, three phones that are ledger nodes, and an impostor, on 127.0.0.1.");
    say("Working directory (node logs, device directories): " + dir);
    AtomicReference<DemoNetwork> running = new AtomicReference<>();
    Thread onCtrlC = new Thread(() -> closeQuietly(running.getAndSet(null)), "demo-cleanup");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    boolean ok = false;
    try {
      ok = steps(dir, running);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      say("demo interrupted");
    } finally {
      closeQuietly(running.getAndSet(null));
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException e) {
        // already shutting down (Ctrl-C): the hook does the cleanup
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (ok) {
      deleteTree(dir);
      say(String.format(java.util.Locale.ROOT, "Demo OK: every step held (%.0f s).", seconds));
      return 0;
    }
    say("Demo FAILED. The nodes' logs and data are kept in " + dir);
    return 1;
  }

  private boolean steps(Path dir, AtomicReference<DemoNetwork> running)
      throws InterruptedException {
    try {
      step("Chain: starting Anvil (1 s blocks) and deploying DeviceRegistry and LedgerAnchor.");
      long t = System.nanoTime();
      DemoNetwork network = DemoNetwork.start(dir, BLOCK_TIME, NODE_OPTIONS, CHAIN_KEYS);
      running.set(network);
      say(
          "      Anvil at %s (chain %d); DeviceRegistry %s, LedgerAnchor %s; %d ms.",
          network.chain().rpcUrl(),
          network.chain().chainId(),
          network.chain().registry(),
          network.chain().anchor(),
          (System.nanoTime() - t) / 1_000_000);
      DemoScenario s = new DemoScenario(network, this::say);

      step("Devices: 'callchain init' for alice, bob, carol, and an impostor, mallory.");
      s.createDevices(List.of("alice", "bob", "carol"), "mallory");

      step("Registry: the registrar registers the three phones with their SIP identities.");
      s.registerPhones();

      step("Nodes: three 'callchain node' processes (phone + ledger + libp2p + chain clients).");
      s.startNodes();

      step("Calls: each phone calls the next through its node; tones both ways, recorded.");
      List<DemoScenario.PlacedCall> calls = s.placeCalls();
      List<DemoDevice> phones = s.phones();

      step("Impostor: mallory calls bob claiming to be alice, with an Identity header of its own.");
      s.impostorCalls(phones.get(1), phones.get(0));

      step("Replication: every node holds every phone's log (gossipsub + sync).");
      s.awaitReplicated();

      step("Anchors: each log's latest checkpoint is on chain (read from the Anchored events).");
      s.awaitAnchored();

      step(
          "Proof: nodes stopped; bob's replica of alice's first record exported, verified offline.");
      DemoEvidence evidence = new DemoEvidence(network, s);
      evidence.stopNodes();
      evidence.exportAndVerify(calls.get(0), phones.get(1));

      step("Tampering: a recording and a stored record altered on disk; 'callchain audit' runs.");
      List<String> problems = evidence.tamperAndAudit(phones.get(1), phones.get(0), calls.get(0));
      say("      The audits name both alterations (%d problems found).", problems.size());
      return true;
    } catch (StepFailedException e) {
      say("      FAILED: expected " + e.expected());
      say("      saw: " + e.seen());
      return false;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      say("      FAILED: " + e);
      return false;
    }
  }

  private void step(String title) {
    step++;
    say("[" + step + "/" + STEPS + "] " + title);
  }

  private void say(String format, Object... args) {
    say(String.format(java.util.Locale.ROOT, format, args));
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static void closeQuietly(DemoNetwork network) {
    if (network != null) {
      network.close();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the demo's outcome stands.
    }
  }
}
