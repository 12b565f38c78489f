package org.callchain.node.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;

/**
 * The demo's claims about evidence, once the nodes have stopped: a record exported from a replica
 * as a proof bundle verifies offline, and an attacker's changes to a recording and to a stored
 * record are named by {@code callchain audit}. Everything runs as the {@code callchain} commands a
 * user would type.
 */
public final class DemoEvidence {
  private final DemoNetwork network;
  private final DemoScenario scenario;

  public DemoEvidence(DemoNetwork network, DemoScenario scenario) {
    this.network = network;
    this.scenario = scenario;
  }

  /**
   * Stops every node with SIGTERM; each must end within the grace period by itself (hang up, flush,
   * close), with status 0: 143 (128 + SIGTERM) would mean its close did not finish in time.
   */
  public Map<String, Integer> stopNodes() throws InterruptedException, StepFailedException {
    long t0 = System.nanoTime();
    Map<String, Integer> codes = network.stopNodes();
    if (codes.values().stream().anyMatch(c -> c != 0)) {
      throw new StepFailedException("every node to end cleanly on SIGTERM", codes.toString());
    }
    say(
        "      Nodes stopped with SIGTERM in %d ms, exit statuses %s.",
        (System.nanoTime() - t0) / 1_000_000, codes);
    return codes;
  }

  /**
   * Exports {@code call}'s record by its caller from {@code holder}'s (stopped) ledger, where it is
   * a replica, with the anchor that covers it on chain; verifies the bundle offline against the
   * caller's address, then checks its anchor reference on the chain.
   */
  public CommandResult exportAndVerify(DemoScenario.PlacedCall call, DemoDevice holder)
      throws IOException, InterruptedException, StepFailedException {
    DemoChain chain = network.chain();
    CommandResult export =
        run(
            "ledger",
            "export-proof",
            call.callId(),
            "--device",
            call.from().address(),
            "--data-dir",
            holder.dir().toString(),
            "--rpc",
            chain.rpcUrl(),
            "--registry",
            chain.registry().toString(),
            "--anchor",
            chain.anchor().toString());
    Path bundle = Files.writeString(network.dir().resolve("bundle.json"), export.stdout());
    say(
        "      $ callchain ledger export-proof %s --device %s --data-dir %s --rpc .. > bundle.json"
            + "  (%d bytes)",
        shortId(call.callId()), call.from().name(), holder.name(), Files.size(bundle));
    say("      $ callchain verify bundle.json --device %s        (offline)", call.from().name());
    CommandResult offline = run("verify", bundle.toString(), "--device", call.from().address());
    offline.stdout().lines().forEach(l -> say("        %s", l));
    if (!offline.stdout().startsWith("OK: call " + call.callId())) {
      throw new StepFailedException("verify to print OK for the call", offline.output());
    }
    say(
        "      $ callchain verify bundle.json --device %s --rpc .. --anchor ..",
        call.from().name());
    CommandResult onChain =
        run(
            "verify",
            bundle.toString(),
            "--device",
            call.from().address(),
            "--rpc",
            chain.rpcUrl(),
            "--anchor",
            chain.anchor().toString());
    onChain.stdout().lines().skip(1).forEach(l -> say("        %s", l));
    return offline;
  }

  /** Runs a command that must exit 0. */
  private static CommandResult run(String... args)
      throws IOException, InterruptedException, StepFailedException {
    CommandResult r = CallchainJvm.run(DemoScenario.COMMAND, args);
    if (r.exitCode() != 0) {
      throw new StepFailedException(
          "'" + r.shown() + "' to exit 0", "exit " + r.exitCode() + ":\n" + r.output());
    }
    return r;
  }

  /**
   * Flips a byte of one of {@code recorder}'s recordings and lengthens {@code forger}'s stored
   * record of {@code call} on disk; {@code callchain audit} must name both.
   */
  public List<String> tamperAndAudit(
      DemoDevice recorder, DemoDevice forger, DemoScenario.PlacedCall call)
      throws IOException, InterruptedException, StepFailedException, RocksDBException {
    Path wav = DemoScenario.recordings(recorder).get(0);
    DiskAttacker.flipByte(wav);
    DiskAttacker.lengthenCall(
        forger.dir().resolve("ledger"), forger.address(), call.leaf(), 60_000);
    say(
        "      An attacker with disk access flips a byte of %s's recording %s and makes %s's"
            + " stored record of leaf %d a call 60 s longer.",
        recorder.name(), wav.getFileName(), forger.name(), call.leaf());
    List<String> problems = new ArrayList<>();
    problems.addAll(audit(recorder, wav.getFileName().toString()));
    problems.addAll(audit(forger, "leaf " + call.leaf()));
    return problems;
  }

  private List<String> audit(DemoDevice d, String expected)
      throws IOException, InterruptedException, StepFailedException {
    CommandResult r =
        CallchainJvm.run(
            DemoScenario.COMMAND,
            "audit",
            "--data-dir",
            d.dir().toString(),
            "--recordings",
            d.recordings().toString());
    say("      $ callchain audit --data-dir %s --recordings %s/recordings", d.name(), d.name());
    List<String> problems = r.stdout().lines().filter(l -> l.startsWith("PROBLEM")).toList();
    r.stdout().lines().forEach(l -> say("        %s", l));
    if (r.exitCode() != 1 || problems.stream().noneMatch(p -> p.contains(expected))) {
      throw new StepFailedException(
          "the audit of " + d.name() + " to exit 1 naming " + expected,
          "exit " + r.exitCode() + ":\n" + r.output());
    }
    return problems;
  }

  private void say(String format, Object... args) {
    scenario.say(format, args);
  }

  private static String shortId(String hex) {
    return DemoScenario.shortId(hex);
  }
}
