package org.callchain.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.callchain.ledger.internal.audit.AnchorAudit;
import org.callchain.ledger.internal.audit.Auditor;

/**
 * Re-verifies a store from scratch, trusting nothing in it but the device signatures: every leaf
 * decodes canonically and belongs to its log, every stored tree node equals the hash of its leaves,
 * every checkpoint is signed by its device and states the root of its leaves, consecutive
 * checkpoints are consistent (RFC 9162 §2.1.4), the head matches, the call index matches, stored
 * evidence proves what it claims, and (given a recordings directory) every recording file has the
 * size and SHA-256 its record states. Given anchored checkpoints, also that each log still has the
 * anchored root at the anchored size. See docs/ledger.md, "Audit", and docs/chain.md.
 */
public final class LedgerAudit {
  private LedgerAudit() {}

  /**
   * Audits {@code store}; {@code recordingsDir} (the own device's recordings; replicas' records
   * name files on their own devices and are not looked for there) may be null to skip them.
   *
   * @throws LedgerStorageException if the store cannot be read at all
   */
  public static AuditReport run(LedgerStore store, Path recordingsDir) {
    return new Auditor().audit(store, recordingsDir);
  }

  /**
   * Audits {@code store} as {@link #run(LedgerStore, Path)} does, and checks every anchored
   * checkpoint against the log of its device: a log that has a different root at the anchored size,
   * or (for the store's own device) fewer leaves than were anchored, is a {@link
   * AuditProblem.Where#ANCHOR} problem naming the anchor's size, transaction and block. An anchor
   * of a replica this store holds fewer leaves of is not a problem (the replica is behind).
   */
  public static AuditReport run(
      LedgerStore store, Path recordingsDir, List<AnchoredCheckpoint> anchors) {
    AuditReport base = run(store, recordingsDir);
    List<AuditProblem> problems = new ArrayList<>(base.problems());
    long checked = new AnchorAudit(store).check(anchors, problems);
    return new AuditReport(problems, base.coverage(), checked);
  }
}
