package org.callchain.ledger.internal.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditProblem.Where;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.internal.kv.KeyLayout;
import org.callchain.ledger.internal.merkle.MerkleProofs;
import org.callchain.ledger.internal.merkle.ProofVerification;

/**
 * The audit of one device's log: head, leaves, signed checkpoints and their consistency, stored
 * nodes, call index, equivocation evidence, witness co-signatures and, for the own log, recordings.
 */
final class DeviceLogAudit {
  private final DeviceImage img;
  private final DeviceAddress d;
  private final List<AuditProblem> problems;
  private final Function<Checkpoint, Optional<DeviceAddress>> signerOf;
  private final Path recordingsDir;
  long consistencyProofs;
  long recordingsChecked;

  private RecomputedTree tree = new RecomputedTree(0);

  private CallRecord[] records = new CallRecord[0];

  DeviceLogAudit(
      DeviceImage img,
      List<AuditProblem> problems,
      Function<Checkpoint, Optional<DeviceAddress>> signerOf,
      Path recordingsDir) {
    this.img = img;
    this.d = img.device;
    this.problems = problems;
    this.signerOf = signerOf;
    this.recordingsDir = recordingsDir;
  }

  private boolean signedByDevice(Checkpoint c) {
    return signerOf.apply(c).map(d::equals).orElse(false);
  }

  private void problem(Where where, long position, String detail) {
    problems.add(new AuditProblem(where, d, position, -1, null, detail));
  }

  void run() {
    long head = checkHead();
    // A damaged head or key can claim any size; never size arrays by an unbelievable number.
    long plausible = 2L * img.leaves.size() + 64;
    if (head > plausible) {
      problem(
          Where.HEAD,
          -1,
          "size " + head + " is implausible for " + img.leaves.size() + " stored leaves");
      head = img.leaves.isEmpty() ? 0 : Math.min(img.leaves.lastKey() + 1, plausible);
    }
    tree = new RecomputedTree((int) head);
    records = new CallRecord[(int) head];
    checkLeaves(head);
    boolean[] badLeaf = new boolean[(int) head];
    List<Checkpoint> valid = checkCheckpoints(head, badLeaf);
    TreeNodeAudit.check(img, head, badLeaf, tree, problems);
    checkConsistency(valid);
    checkCallIndex(head);
    checkEquivocations();
    WitnessAudit.check(img, this::problem);
    if (recordingsDir != null) {
      checkRecordings(head);
    }
  }

  /**
   * The committed size. The head must name a stored checkpoint, and no checkpoint the device really
   * signed may lie beyond it; if the head fails that, the latest genuine checkpoint's size is used
   * instead so the rest of the audit still covers every signed leaf.
   */
  private long checkHead() {
    long genuineMax = -1;
    for (Map.Entry<Long, byte[]> e : img.checkpoints.descendingMap().entrySet()) {
      try {
        Checkpoint c = Checkpoint.decode(e.getValue());
        if (c.treeSize() == e.getKey() && c.device().equals(d) && signedByDevice(c)) {
          genuineMax = e.getKey();
          break;
        }
      } catch (MalformedDataException ex) {
        // Reported with the checkpoints; it cannot vouch for a size.
      }
    }
    long fallback =
        genuineMax >= 0 ? genuineMax : img.checkpoints.isEmpty() ? 0 : img.checkpoints.lastKey();
    if (img.head == null) {
      problem(Where.HEAD, -1, "log has entries but no head");
      return fallback;
    }
    if (img.head.length != 8) {
      problem(Where.HEAD, -1, "head is " + img.head.length + " bytes, not an 8-byte size");
      return fallback;
    }
    long head = KeyLayout.readU64(img.head);
    if (!img.checkpoints.containsKey(head)) {
      problem(Where.HEAD, -1, "head says " + head + " leaves but no checkpoint has that size");
      return fallback;
    }
    if (genuineMax > head) {
      problem(
          Where.HEAD,
          -1,
          "head says " + head + " leaves but the device signed a checkpoint at " + genuineMax);
      return genuineMax;
    }
    return head;
  }

  private void checkLeaves(long head) {
    for (long i = 0; i < head; i++) {
      byte[] leaf = img.leaves.get(i);
      if (leaf == null) {
        problem(Where.LEAF, i, "leaf is missing");
        continue;
      }
      tree.putLeaf(i, leaf);
      try {
        CallRecord r = CallRecordCodec.decode(leaf);
        if (!r.recordingDevice().equals(d)) {
          problem(
              Where.LEAF, i, "record was written by " + r.recordingDevice() + ", not this device");
        }
        records[(int) i] = r;
      } catch (MalformedDataException e) {
        problem(Where.LEAF, i, "not a canonical call record: " + e.getMessage());
      }
    }
    for (long i : img.leaves.tailMap(head).keySet()) {
      problem(Where.LEAF, i, "leaf lies beyond the head (" + head + " leaves committed)");
    }
  }

  private List<Checkpoint> checkCheckpoints(long head, boolean[] badLeaf) {
    List<Checkpoint> valid = new ArrayList<>();
    if (!img.checkpoints.containsKey(head) && (head > 0 || !img.leaves.isEmpty())) {
      problem(Where.CHECKPOINT, head, "no checkpoint for the committed size " + head);
    }
    long lastTime = -1;
    long lastGoodSize = 0;
    for (Map.Entry<Long, byte[]> e : img.checkpoints.entrySet()) {
      long size = e.getKey();
      Checkpoint c;
      try {
        c = Checkpoint.decode(e.getValue());
      } catch (MalformedDataException ex) {
        problem(Where.CHECKPOINT, size, "checkpoint is malformed: " + ex.getMessage());
        continue;
      }
      if (c.treeSize() != size || !c.device().equals(d)) {
        problem(
            Where.CHECKPOINT,
            size,
            "entry holds the checkpoint of device "
                + c.device()
                + " at size "
                + c.treeSize()
                + " (swapped or moved)");
        continue;
      }
      if (!signedByDevice(c)) {
        String signer =
            signerOf.apply(c).map(a -> "signed by " + a).orElse("signature is malformed");
        problem(Where.CHECKPOINT, size, "signature is not by this device (" + signer + ")");
        continue;
      }
      if (size > head) {
        problem(Where.CHECKPOINT, size, "checkpoint lies beyond the head (" + head + ")");
      }
      if (c.timestampMillis() < lastTime) {
        problem(Where.CHECKPOINT, size, "time goes backwards from the previous checkpoint");
      }
      lastTime = c.timestampMillis();
      Hash256 root = tree.root(size);
      if (root == null) {
        // A missing leaf is already reported; the root cannot be rebuilt.
        continue;
      }
      if (!root.equals(c.rootHash())) {
        blameLeaves(lastGoodSize, size, c, badLeaf);
        continue;
      }
      valid.add(c);
      lastGoodSize = size;
    }
    return valid;
  }

  /**
   * The signed root of {@code c} differs from the leaves, so leaves in {@code [from, to)} were
   * altered. The stored level-0 nodes point at which ones; if they were rewritten too, the best
   * that can be said is the range.
   */
  private void blameLeaves(long from, long to, Checkpoint c, boolean[] badLeaf) {
    boolean found = false;
    for (long i = 0; i < to; i++) {
      byte[] stored = img.level(0).get(i);
      Hash256 recomputed = tree.leaf(i);
      if (badLeaf[(int) i]) {
        found = true;
        continue;
      }
      if (stored != null && recomputed != null && !Arrays.equals(stored, recomputed.toBytes())) {
        badLeaf[(int) i] = true;
        found = true;
        problem(
            Where.LEAF,
            i,
            "leaf bytes differ from the signed tree (hash "
                + recomputed.toHex().substring(0, 16)
                + "..., checkpoint "
                + to
                + " and the stored leaf hash disagree)");
      }
    }
    if (!found) {
      problem(
          Where.CHECKPOINT,
          to,
          "signed root "
              + c.rootHash().toHex().substring(0, 16)
              + "... differs from the root of leaves 0.."
              + (to - 1)
              + " (one of leaves "
              + from
              + ".."
              + (to - 1)
              + " was altered)");
    }
  }

  /** RFC 9162 §2.1.4: each valid checkpoint is consistent with the next, by proof. */
  private void checkConsistency(List<Checkpoint> valid) {
    MerkleProofs proofs = tree.proofs();
    for (int i = 1; i < valid.size(); i++) {
      Checkpoint a = valid.get(i - 1);
      Checkpoint b = valid.get(i);
      List<Hash256> path =
          a.treeSize() == 0 ? List.of() : proofs.consistencyPath(a.treeSize(), b.treeSize(), true);
      consistencyProofs++;
      if (!ProofVerification.verifyConsistency(
          a.treeSize(), b.treeSize(), a.rootHash(), b.rootHash(), path)) {
        problem(
            Where.CHECKPOINT,
            b.treeSize(),
            "not consistent with the checkpoint at size " + a.treeSize());
      }
    }
  }

  private void checkCallIndex(long head) {
    boolean[] indexed = new boolean[records.length];
    for (Map.Entry<CallId, byte[]> e : img.callIndex) {
      if (e.getValue().length != 8) {
        problem(Where.CALL_INDEX, -1, "index entry for call " + e.getKey() + " is malformed");
        continue;
      }
      long i = KeyLayout.readU64(e.getValue());
      if (i < 0 || i >= head || i >= records.length) {
        problem(
            Where.CALL_INDEX,
            i,
            "call " + e.getKey() + " points at leaf " + i + ", outside the log");
        continue;
      }
      CallRecord r = records[(int) i];
      if (r != null && !r.callId().equals(e.getKey())) {
        problem(
            Where.CALL_INDEX,
            i,
            "call " + e.getKey() + " points at leaf " + i + " of call " + r.callId());
        continue;
      }
      indexed[(int) i] = true;
    }
    for (int i = 0; i < Math.min(head, records.length); i++) {
      if (records[i] != null && !indexed[i]) {
        problem(
            Where.CALL_INDEX, i, "leaf has no call index entry for call " + records[i].callId());
      }
    }
  }

  private void checkEquivocations() {
    for (Map.Entry<Long, byte[]> e : img.equivocations.entrySet()) {
      try {
        EquivocationEvidence ev = EquivocationEvidence.decode(e.getValue());
        if (!ev.device().equals(d) || !ev.proves()) {
          problem(Where.EQUIVOCATION, e.getKey(), "stored evidence does not prove equivocation");
        } else {
          problem(
              Where.EQUIVOCATION,
              e.getKey(),
              "device signed contradicting checkpoints at sizes "
                  + ev.earlier().treeSize()
                  + " and "
                  + ev.later().treeSize());
        }
      } catch (MalformedDataException ex) {
        problem(Where.EQUIVOCATION, e.getKey(), "stored evidence is malformed: " + ex.getMessage());
      }
    }
  }

  private void checkRecordings(long head) {
    for (int i = 0; i < Math.min(head, records.length); i++) {
      CallRecord r = records[i];
      if (r == null || r.recording() == null) {
        continue;
      }
      recordingsChecked++;
      long leaf = i;
      RecordingCheck.check(recordingsDir, r.recording())
          .ifPresent(
              detail ->
                  problems.add(
                      new AuditProblem(
                          Where.RECORDING, d, leaf, -1, r.recording().locator(), detail)));
    }
  }
}
