package org.callchain.ledger;

import java.util.List;

/**
 * The result of an audit: every problem found, and what was covered, so a clean report says what it
 * vouches for. {@code anchorsChecked} counts the anchored checkpoints compared with the local logs
 * (zero when the audit was given none).
 */
public record AuditReport(List<AuditProblem> problems, Coverage coverage, long anchorsChecked) {
  public AuditReport {
    problems = List.copyOf(problems);
  }

  /** A report of an audit that was given no anchored checkpoints. */
  public AuditReport(List<AuditProblem> problems, Coverage coverage) {
    this(problems, coverage, 0);
  }

  /** Counts of what the audit re-verified. */
  public record Coverage(
      int devices,
      long leaves,
      long nodes,
      long checkpoints,
      long consistencyProofs,
      long callIndexEntries,
      long equivocationEvidence,
      long recordings) {}

  public boolean clean() {
    return problems.isEmpty();
  }

  /** One line saying what was covered. */
  public String coverageLine() {
    Coverage c = coverage;
    return c.devices()
        + " device log(s), "
        + c.leaves()
        + " leaves, "
        + c.nodes()
        + " tree nodes, "
        + c.checkpoints()
        + " checkpoint signatures, "
        + c.consistencyProofs()
        + " consistency proofs, "
        + c.callIndexEntries()
        + " call index entries, "
        + c.equivocationEvidence()
        + " equivocation evidence entries, "
        + c.recordings()
        + " recording files"
        + (anchorsChecked > 0 ? ", " + anchorsChecked + " anchored checkpoints" : "");
  }
}
