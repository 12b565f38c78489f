package org.callchain.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.LedgerStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callchain audit}: re-verifies the whole store from scratch, every anchored checkpoint
 * against the logs (the anchor queue's, and the chain's given {@code --rpc}) and, given {@code
 * --recordings}, every recording file. Prints one line per problem (where, then what) and exits 1
 * if there is any; a clean audit says what it covered.
 */
@Command(
    name = "audit",
    description =
        "Re-verify every log, checkpoint and replica from scratch, the anchored checkpoints, and"
            + " recording files.")
final class AuditCommand implements java.util.concurrent.Callable<Integer> {
  @Mixin LedgerHome home;
  @Mixin AnchorSources anchors;
  @Spec CommandSpec spec;

  @Option(
      names = "--recordings",
      paramLabel = "DIR",
      description = "Directory the records' recording locators are relative to.")
  Path recordings;

  @Override
  public Integer call() {
    if (recordings != null && !Files.isDirectory(recordings)) {
      throw new CliException("recordings directory " + recordings + " does not exist");
    }
    try (LedgerStore store = home.existingStore()) {
      return report(
          spec,
          LedgerAudit.run(store, recordings, anchors.anchored(store, home.dataDir)),
          recordings != null);
    }
  }

  static int report(CommandSpec spec, AuditReport report, boolean withRecordings) {
    var out = spec.commandLine().getOut();
    for (AuditProblem p : report.problems()) {
      out.println("PROBLEM " + p);
    }
    if (report.clean()) {
      out.println(
          "audit clean: verified "
              + report.coverageLine()
              + (withRecordings ? "" : " (recording files not checked: no --recordings)"));
      return 0;
    }
    out.println(
        "audit FAILED: " + report.problems().size() + " problem(s) in " + report.coverageLine());
    return 1;
  }
}
