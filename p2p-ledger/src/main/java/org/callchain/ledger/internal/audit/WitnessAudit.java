package org.callchain.ledger.internal.audit;

import org.callchain.ledger.AuditProblem.Where;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.WitnessSignature;

/**
 * Checks stored witness co-signatures: each decodes, names the witness its key names, belongs to a
 * stored checkpoint that decodes, and is that witness's signature over exactly that checkpoint.
 */
final class WitnessAudit {
  private WitnessAudit() {}

  /** Where problems go: the part, the position (tree size) and what is wrong. */
  @FunctionalInterface
  interface Problems {
    void add(Where where, long position, String detail);
  }

  static void check(DeviceImage img, Problems problems) {
    for (DeviceImage.WitnessEntry e : img.witnesses) {
      String who = "witness " + e.witness();
      WitnessSignature w;
      try {
        w = WitnessSignature.decode(e.value());
      } catch (MalformedDataException ex) {
        problems.add(Where.CHECKPOINT, e.treeSize(), who + ": co-signature is malformed");
        continue;
      }
      if (!w.witness().equals(e.witness())) {
        problems.add(
            Where.CHECKPOINT, e.treeSize(), who + ": stored co-signature names " + w.witness());
        continue;
      }
      byte[] stored = img.checkpoints.get(e.treeSize());
      if (stored == null) {
        problems.add(Where.CHECKPOINT, e.treeSize(), who + ": co-signs a checkpoint not stored");
        continue;
      }
      try {
        if (!w.verifies(Checkpoint.decode(stored))) {
          problems.add(Where.CHECKPOINT, e.treeSize(), who + ": co-signature does not verify");
        }
      } catch (MalformedDataException ex) {
        // the checkpoint's own damage is reported by the checkpoint checks
      }
    }
  }
}
