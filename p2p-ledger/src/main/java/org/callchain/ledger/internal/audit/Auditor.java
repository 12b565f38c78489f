package org.callchain.ledger.internal.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.SignatureVerifier;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditProblem.Where;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.internal.kv.KeyLayout;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.merkle.MerkleProofs;
import org.callchain.ledger.internal.merkle.ProofVerification;

/**
 * The audit of docs/ledger.md. It reads the raw store once, rebuilds every tree from the leaf bytes
 * alone, and compares all stored derived data (nodes, heads, index, checkpoint roots) with what the
 * leaves imply. The signed checkpoints are the authority that decides blame: when leaves disagree
 * with a validly signed root, the leaves whose hashes differ from their stored level-0 nodes are
 * the altered ones; when the leaves agree with every signed root, a differing stored node is itself
 * the altered entry.
 */
public final class Auditor {
  private final Function<Checkpoint, Optional<DeviceAddress>> signerOf;

  /** Recovers checkpoint signers with {@link SignatureVerifier}. */
  public Auditor() {
    this(c -> SignatureVerifier.recover(SigningDomain.CHECKPOINT, c.signedBody(), c.signature()));
  }

  /** {@code signerOf} recovers a checkpoint's signer; tests pass a memo of the default. */
  public Auditor(Function<Checkpoint, Optional<DeviceAddress>> signerOf) {
    this.signerOf = signerOf;
  }

  public AuditReport audit(LedgerStore store, Path recordingsDir) {
    List<AuditProblem> problems = new ArrayList<>();
    Map<DeviceAddress, DeviceImage> devices = new TreeMap<>();
    long[] callIndexCount = {0};
    store.scanRaw(
        (key, value) -> {
          KeyLayout.ParsedKey k = KeyLayout.parse(key);
          if (!k.wellFormed()) {
            problems.add(
                new AuditProblem(
                    Where.STORE,
                    null,
                    -1,
                    -1,
                    null,
                    "unrecognised entry with key 0x" + HexFormat.of().formatHex(key)));
            return;
          }
          if (k.kind() == KeyLayout.META) {
            return;
          }
          DeviceImage img = devices.computeIfAbsent(k.device(), DeviceImage::new);
          switch (k.kind()) {
            case KeyLayout.HEAD -> img.head = value;
            case KeyLayout.LEAF -> img.leaves.put(k.index(), value);
            case KeyLayout.NODE ->
                img.nodesByLevel
                    .computeIfAbsent(k.level(), l -> new java.util.HashMap<>())
                    .put(k.index(), value);
            case KeyLayout.CHECKPOINT -> img.checkpoints.put(k.index(), value);
            case KeyLayout.EQUIVOCATION -> img.equivocations.put(k.index(), value);
            case KeyLayout.WITNESS ->
                img.witnesses.add(new DeviceImage.WitnessEntry(k.index(), k.witness(), value));
            case KeyLayout.CALL_INDEX -> {
              img.callIndex.add(Map.entry(k.callId(), value));
              callIndexCount[0]++;
            }
            default -> throw new IllegalStateException("parse() accepted kind " + k.kind());
          }
        });
    long leaves = 0;
    long nodes = 0;
    long checkpoints = 0;
    long consistency = 0;
    long evidence = 0;
    long recordings = 0;
    // The recordings directory holds the own device's recordings; a replica's records name files
    // on their own device (both ends of a call may even use the same file name), so they are not
    // looked for here. A store without an own log is audited against the directory as a whole.
    Optional<DeviceAddress> own = store.ownDevice();
    for (DeviceImage img : devices.values()) {
      boolean ownLog = own.isEmpty() || own.get().equals(img.device);
      DeviceAudit a = new DeviceAudit(img, problems, signerOf, ownLog ? recordingsDir : null);
      a.run();
      leaves += img.leaves.size();
      nodes += img.nodeCount();
      checkpoints += img.checkpoints.size();
      consistency += a.consistencyProofs;
      evidence += img.equivocations.size();
      recordings += a.recordingsChecked;
    }
    return new AuditReport(
        problems,
        new AuditReport.Coverage(
            devices.size(),
            leaves,
            nodes,
            checkpoints,
            consistency,
            callIndexCount[0],
            evidence,
            recordings));
  }

  /** The audit of one device's log. */
  private static final class DeviceAudit {
    private final DeviceImage img;
    private final DeviceAddress d;
    private final List<AuditProblem> problems;
    private final Function<Checkpoint, Optional<DeviceAddress>> signerOf;
    private final Path recordingsDir;
    long consistencyProofs;
    long recordingsChecked;

    /** Recomputed leaf hashes (null where the leaf is missing), by index. */
    private Hash256[] leafHashes = new Hash256[0];

    private CallRecord[] records = new CallRecord[0];

    DeviceAudit(
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
      leafHashes = new Hash256[(int) head];
      records = new CallRecord[(int) head];
      checkLeaves(head);
      boolean[] badLeaf = new boolean[(int) head];
      List<Checkpoint> valid = checkCheckpoints(head, badLeaf);
      checkNodes(head, badLeaf);
      checkConsistency(valid);
      checkCallIndex(head);
      checkEquivocations();
      WitnessAudit.check(img, this::problem);
      if (recordingsDir != null) {
        checkRecordings(head);
      }
    }

    /**
     * The committed size. The head must name a stored checkpoint, and no checkpoint the device
     * really signed may lie beyond it; if the head fails that, the latest genuine checkpoint's size
     * is used instead so the rest of the audit still covers every signed leaf.
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
        leafHashes[(int) i] = MerkleHashing.leafHash(leaf);
        try {
          CallRecord r = CallRecordCodec.decode(leaf);
          if (!r.recordingDevice().equals(d)) {
            problem(
                Where.LEAF,
                i,
                "record was written by " + r.recordingDevice() + ", not this device");
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

    /** MTH of leaves [0, size) from the recomputed leaf hashes, or null if one is missing. */
    private Hash256 recomputedRoot(long size) {
      for (long i = 0; i < size; i++) {
        if (i >= leafHashes.length || leafHashes[(int) i] == null) {
          return null;
        }
      }
      return new MerkleProofs(this::recomputedNode).root(size);
    }

    private final List<Map<Long, Hash256>> memo = newMemo();

    private static List<Map<Long, Hash256>> newMemo() {
      List<Map<Long, Hash256>> m = new ArrayList<>(64);
      for (int i = 0; i < 64; i++) {
        m.add(new java.util.HashMap<>());
      }
      return m;
    }

    /** The hash a complete node must have, from the leaves alone (null if a leaf is missing). */
    private Hash256 recomputedNode(int level, long index) {
      if (level == 0) {
        return index < leafHashes.length ? leafHashes[(int) index] : null;
      }
      Hash256 cached = memo.get(level).get(index);
      if (cached != null) {
        return cached;
      }
      Hash256 l = recomputedNode(level - 1, 2 * index);
      Hash256 r = recomputedNode(level - 1, 2 * index + 1);
      Hash256 h = l == null || r == null ? null : MerkleHashing.nodeHash(l, r);
      if (h != null) {
        memo.get(level).put(index, h);
      }
      return h;
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
        Hash256 root = recomputedRoot(size);
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
        Hash256 recomputed = leafHashes[(int) i];
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

    private void checkNodes(long head, boolean[] badLeaf) {
      java.util.SortedSet<Integer> levels = new java.util.TreeSet<>(img.nodesByLevel.keySet());
      for (int level = 0; level < 64 && (head >>> level) > 0; level++) {
        levels.add(level);
      }
      for (int level : levels) {
        Map<Long, byte[]> stored = img.level(level);
        long complete = level < 64 ? head >>> level : 0;
        for (long index = 0; index < complete; index++) {
          if (!stored.containsKey(index)) {
            problems.add(
                new AuditProblem(Where.NODE, d, index, level, null, "tree node is missing"));
          }
        }
        for (Map.Entry<Long, byte[]> e : new TreeMap<>(stored).entrySet()) {
          long index = e.getKey();
          if (index >= complete) {
            problems.add(
                new AuditProblem(
                    Where.NODE, d, index, level, null, "tree node lies beyond the head"));
            continue;
          }
          Hash256 expected = recomputedNode(level, index);
          if (expected == null || coversBadLeaf(level, index, badLeaf)) {
            continue;
          }
          if (!Arrays.equals(e.getValue(), expected.toBytes())) {
            problems.add(
                new AuditProblem(
                    Where.NODE,
                    d,
                    index,
                    level,
                    null,
                    "stored hash differs from the hash of its leaves"));
          }
        }
      }
    }

    private static boolean coversBadLeaf(int level, long index, boolean[] badLeaf) {
      long from = index << level;
      long to = Math.min(badLeaf.length, (index + 1) << level);
      for (long i = from; i < to; i++) {
        if (badLeaf[(int) i]) {
          return true;
        }
      }
      return false;
    }

    /** RFC 9162 §2.1.4: each valid checkpoint is consistent with the next, by proof. */
    private void checkConsistency(List<Checkpoint> valid) {
      MerkleProofs proofs = new MerkleProofs(this::recomputedNode);
      for (int i = 1; i < valid.size(); i++) {
        Checkpoint a = valid.get(i - 1);
        Checkpoint b = valid.get(i);
        List<Hash256> path =
            a.treeSize() == 0
                ? List.of()
                : proofs.consistencyPath(a.treeSize(), b.treeSize(), true);
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
          problem(
              Where.EQUIVOCATION, e.getKey(), "stored evidence is malformed: " + ex.getMessage());
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
}
