package org.callchain.node.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.AnchoredProofs;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.LeafLocation;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.LogView;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ProofBundle;
import org.callchain.ledger.SyntheticCalls;
import org.callchain.ledger.WitnessSignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code callchain ledger ...}: the node's call ledger (own log and replicas). */
@Command(
    name = "ledger",
    description = "Inspect, verify and export the call ledger.",
    subcommands = {picocli.CommandLine.HelpCommand.class})
final class LedgerCommand {
  @Mixin LedgerHome home;
  @Spec CommandSpec spec;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Command(
      name = "append-test",
      description = "Append N synthetic LOAD_TEST records to the own log, committing in batches.")
  int appendTest(
      @Parameters(paramLabel = "N", description = "Number of records.") long count,
      @Option(
              names = "--batch",
              defaultValue = "500",
              description = "Records per commit (default 500).")
          int batch) {
    if (count < 1 || batch < 1) {
      throw new CliException("N and --batch must be positive", 2);
    }
    DeviceKey key = home.unlock();
    try (Ledger ledger = LedgerHome.open(home.store())) {
      DeviceLog log = ledger.ownLog(key);
      SyntheticCalls calls = new SyntheticCalls(key.address(), System.nanoTime());
      long started = System.nanoTime();
      Checkpoint last = null;
      for (long i = 0; i < count; i++) {
        log.append(calls.next());
        if (log.pending() >= batch) {
          last = log.commit();
        }
      }
      if (log.pending() > 0) {
        last = log.commit();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      out()
          .printf(
              "appended %d records in %.2f s (%.0f records/s, durable commits of %d)%n",
              count, seconds, count / seconds, batch);
      out().println("log size " + last.treeSize() + ", root " + last.rootHash().toHex());
      return 0;
    } catch (LedgerException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** "witnesses: none" or "witnesses 2: 0x… at TIME, 0x… at TIME". */
  private static String witnesses(Ledger ledger, Checkpoint cp) {
    List<WitnessSignature> ws = ledger.witnessSignatures(cp.device(), cp.treeSize());
    if (ws.isEmpty()) {
      return "witnesses: none";
    }
    StringBuilder b = new StringBuilder("witnesses " + ws.size() + ":");
    for (WitnessSignature w : ws) {
      b.append(' ')
          .append(w.witness())
          .append(" at ")
          .append(Instant.ofEpochMilli(w.witnessedMillis()));
    }
    return b.toString();
  }

  @Command(
      name = "show",
      description =
          "List the logs held with their latest checkpoint's witnesses, or one device's records"
              + " and the checkpoints that cover them.")
  int show(
      @Option(
              names = "--device",
              paramLabel = "ADDRESS",
              description = "Show this device's records.")
          String device,
      @Option(names = "--json", description = "One JSON object per record.") boolean json,
      @Option(names = "--from", defaultValue = "0", description = "First leaf index.") long from,
      @Option(names = "--limit", defaultValue = "100", description = "At most this many records.")
          long limit) {
    try (Ledger ledger = LedgerHome.open(home.existingStore())) {
      if (device == null) {
        for (DeviceAddress d : ledger.devices()) {
          LogView log = ledger.log(d).orElseThrow();
          Checkpoint cp = log.latestCheckpoint().orElseThrow();
          String role = ledger.ownDevice().filter(d::equals).isPresent() ? "own    " : "replica";
          out()
              .printf(
                  "%s %s %d records, root %s, signed %s%n",
                  role,
                  d,
                  cp.treeSize(),
                  cp.rootHash().toHex(),
                  Instant.ofEpochMilli(cp.timestampMillis()));
          out().println("        " + witnesses(ledger, cp));
        }
        int evidence = ledger.equivocations().size();
        if (evidence > 0) {
          out().println(evidence + " equivocation evidence record(s) stored");
        }
        return 0;
      }
      DeviceAddress d = parseDevice(device);
      LogView log =
          ledger.log(d).orElseThrow(() -> new CliException("no log for device " + d + " here"));
      long to = Math.min(log.size(), from + limit);
      for (long i = from; i < to; i++) {
        CallRecord r = log.record(i);
        if (json) {
          out().println(CallRecordCodec.toJson(r, false));
        } else {
          out()
              .printf(
                  "%6d %s %s %-8s %-9s %6ds %s -> %s%n",
                  i,
                  r.callId().toString().substring(0, 16),
                  Instant.ofEpochMilli(r.startMillis()),
                  r.direction(),
                  r.disposition(),
                  r.durationMillis() / 1000,
                  r.caller().uri(),
                  r.callee().uri());
        }
      }
      if (!json) {
        // the checkpoints that cover the records shown, each with its witnesses
        for (Checkpoint cp : log.checkpoints(from + 1, Math.max(to, from + 1) + 1)) {
          out()
              .printf(
                  "checkpoint %d root %s signed %s, %s%n",
                  cp.treeSize(),
                  cp.rootHash().toHex(),
                  Instant.ofEpochMilli(cp.timestampMillis()),
                  witnesses(ledger, cp));
        }
      }
      return 0;
    } catch (MalformedDataException e) {
      throw new CliException("ledger store holds a damaged record: " + e.getMessage(), e);
    }
  }

  @Command(
      name = "verify",
      description =
          "Re-verify every leaf, tree node, checkpoint signature and replica from scratch, and"
              + " every anchored checkpoint (anchor queue; the chain with --rpc).")
  int verify(@Mixin AnchorSources anchors) {
    try (LedgerStore store = home.existingStore()) {
      LedgerHome.open(store);
      return AuditCommand.report(
          spec, LedgerAudit.run(store, null, anchors.anchored(store, home.dataDir)), false);
    }
  }

  @Command(
      name = "export-proof",
      description =
          "Write a self-contained proof bundle (JSON) for one call to stdout; with --rpc it"
              + " carries the first anchor that covers the record.")
  int exportProof(
      @Parameters(paramLabel = "CALL-ID", description = "The call id (64 hex digits).")
          String callId,
      @Option(
              names = "--device",
              paramLabel = "ADDRESS",
              description = "Whose record (default: own, else the only one).")
          String device,
      @Mixin AnchorSources anchors) {
    CallId id;
    try {
      id = CallId.parse(callId);
    } catch (IllegalArgumentException e) {
      throw new CliException("not a call id: " + callId + " (" + e.getMessage() + ")", 2);
    }
    try (Ledger ledger = LedgerHome.open(home.existingStore())) {
      List<LeafLocation> found = ledger.locate(id);
      if (device != null) {
        DeviceAddress d = parseDevice(device);
        found = found.stream().filter(l -> l.device().equals(d)).toList();
      }
      if (found.isEmpty()) {
        throw new CliException("no record of call " + id + " in this ledger");
      }
      LeafLocation at = found.get(0);
      ProofBundle bundle;
      if (anchors.chainGiven()) {
        LogView log = ledger.log(at.device()).orElseThrow();
        bundle = AnchoredProofs.export(log, at.leafIndex(), anchors.references(at.device()));
        if (bundle.anchor() == null) {
          spec.commandLine()
              .getErr()
              .println("note: no anchor on chain covers leaf " + at.leafIndex() + " yet");
        }
      } else {
        bundle = ledger.exportProof(at);
      }
      out().print(bundle.toJson());
      out().flush();
      return 0;
    } catch (LedgerException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  private static DeviceAddress parseDevice(String text) {
    try {
      return DeviceAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), 2);
    }
  }
}
