package org.callchain.ledger.internal.audit;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.internal.kv.KeyLayout;

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
      DeviceLogAudit a = new DeviceLogAudit(img, problems, signerOf, ownLog ? recordingsDir : null);
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
}
