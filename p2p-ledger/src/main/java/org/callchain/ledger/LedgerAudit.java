package org.callchain.ledger;

import java.nio.file.Path;
import org.callchain.ledger.internal.audit.Auditor;

/**
 * Re-verifies a store from scratch, trusting nothing in it but the device signatures: every leaf
 * decodes canonically and belongs to its log, every stored tree node equals the hash of its leaves,
 * every checkpoint is signed by its device and states the root of its leaves, consecutive
 * checkpoints are consistent (RFC 9162 §2.1.4), the head matches, the call index matches, stored
 * evidence proves what it claims, and (given a recordings directory) every recording file has the
 * size and SHA-256 its record states. See docs/ledger.md, "Audit".
 */
public final class LedgerAudit {
  private LedgerAudit() {}

  /**
   * Audits {@code store}; {@code recordingsDir} may be null to skip recording files.
   *
   * @throws LedgerStorageException if the store cannot be read at all
   */
  public static AuditReport run(LedgerStore store, Path recordingsDir) {
    return new Auditor().audit(store, recordingsDir);
  }
}
