package org.callchain.ledger.internal.log;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallId;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.ConsistencyProof;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.LogCommit;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ReplicaOutcome;
import org.callchain.ledger.ReplicaRejectedException;
import org.callchain.ledger.ReplicaUpdate;
import org.callchain.ledger.TreeNode;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.merkle.ProofVerification;
import org.callchain.ledger.internal.merkle.TreeFrontier;

/**
 * Accepts another device's log as it arrives, trusting nothing but the device's signature.
 *
 * <ol>
 *   <li>The checkpoint must be signed by its device.
 *   <li>A checkpoint for a size already held must state the root we hold for that size; if it does
 *       not, the device signed two different trees: the evidence is the two checkpoints and a
 *       consistency path computed from the held tree (docs/ledger.md, "Equivocation").
 *   <li>A larger checkpoint with a consistency proof from the held checkpoint (RFC 9162 §2.1.4.2)
 *       is checked first; a proof that reaches the new signed root but not the held one is
 *       equivocation evidence, since it pins the old tree inside the new one.
 *   <li>The new leaves must be canonical records written by the device, and the held leaves plus
 *       the new ones must hash to the signed root. Holding all leaves, this implies consistency.
 * </ol>
 *
 * Invalid updates are rejected with nothing stored; the replica is never rewritten.
 */
final class ReplicaVerifier {
  private final LedgerStore store;
  private final Clock clock;

  ReplicaVerifier(LedgerStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  ReplicaOutcome accept(ReplicaUpdate update) throws ReplicaRejectedException {
    Checkpoint cp = update.checkpoint();
    DeviceAddress d = cp.device();
    if (store.ownDevice().filter(d::equals).isPresent()) {
      throw new ReplicaRejectedException(
          "updates for this node's own log " + d + " are not accepted");
    }
    if (!cp.signatureValid()) {
      throw new ReplicaRejectedException(
          "checkpoint of size " + cp.treeSize() + " is not signed by device " + d);
    }
    StoredLogView held = new StoredLogView(store, d);
    long m = held.size();
    boolean known = store.checkpoint(d, m).isPresent();
    Optional<Checkpoint> prev = known ? store.checkpoint(d, m) : Optional.empty();

    if (known && cp.treeSize() <= m) {
      if (held.root(cp.treeSize()).equals(cp.rootHash())) {
        return new ReplicaOutcome(ReplicaOutcome.Kind.ALREADY_KNOWN, m, null);
      }
      if (cp.treeSize() == 0) {
        throw new ReplicaRejectedException("checkpoint of the empty tree has a non-empty root");
      }
      EquivocationEvidence evidence =
          cp.treeSize() == m
              ? new EquivocationEvidence(prev.get(), cp, List.of(), clock.millis())
              : new EquivocationEvidence(
                  cp, prev.get(), held.fullConsistencyPath(cp.treeSize(), m), clock.millis());
      return equivocation(evidence, m);
    }

    long n = cp.treeSize();
    if (update.firstIndex() != m) {
      throw new ReplicaRejectedException(
          "update for "
              + d
              + " starts at leaf "
              + update.firstIndex()
              + " but the replica has "
              + m);
    }
    if (update.leaves().size() != n - m) {
      throw new ReplicaRejectedException(
          "update for " + d + " carries " + update.leaves().size() + " leaves, needs " + (n - m));
    }
    ConsistencyProof proof = update.proof();
    if (proof != null && m > 0) {
      if (proof.fromSize() != m || proof.toSize() != n) {
        throw new ReplicaRejectedException(
            "consistency proof is from "
                + proof.fromSize()
                + " to "
                + proof.toSize()
                + ", expected "
                + m
                + " to "
                + n);
      }
      List<Hash256> full = new ArrayList<>();
      if (MerkleHashing.isPowerOfTwo(m)) {
        full.add(prev.get().rootHash());
      }
      full.addAll(proof.path());
      ProofVerification.Roots roots = ProofVerification.computeRoots(m, n, full);
      if (roots == null || !roots.second().equals(cp.rootHash())) {
        throw new ReplicaRejectedException(
            "consistency proof from " + m + " does not lead to the signed root of size " + n);
      }
      if (!roots.first().equals(prev.get().rootHash())) {
        return equivocation(new EquivocationEvidence(prev.get(), cp, full, clock.millis()), m);
      }
    }

    TreeFrontier frontier = TreeFrontier.of(m, held.nodes);
    List<TreeNode> nodes = new ArrayList<>();
    List<CallId> ids = new ArrayList<>(update.leaves().size());
    long index = m;
    for (byte[] leaf : update.leaves()) {
      CallRecord record;
      try {
        record = CallRecordCodec.decode(leaf);
      } catch (MalformedDataException e) {
        throw new ReplicaRejectedException("leaf " + index + " of " + d + ": " + e.getMessage());
      }
      if (!record.recordingDevice().equals(d)) {
        throw new ReplicaRejectedException(
            "leaf " + index + " of " + d + " was written by " + record.recordingDevice());
      }
      ids.add(record.callId());
      for (TreeFrontier.Node node : frontier.append(MerkleHashing.leafHash(leaf))) {
        nodes.add(new TreeNode(node.level(), node.index(), node.hash()));
      }
      index++;
    }
    if (!frontier.root().equals(cp.rootHash())) {
      throw new ReplicaRejectedException(
          "leaves "
              + m
              + ".."
              + (n - 1)
              + " of "
              + d
              + " do not hash to the signed root of size "
              + n);
    }
    store.commit(new LogCommit(d, m, update.leaves(), ids, nodes, cp));
    return new ReplicaOutcome(ReplicaOutcome.Kind.APPENDED, n, null);
  }

  private ReplicaOutcome equivocation(EquivocationEvidence evidence, long heldSize) {
    if (!evidence.proves()) {
      throw new IllegalStateException("constructed equivocation evidence does not verify");
    }
    store.addEquivocation(evidence);
    return new ReplicaOutcome(ReplicaOutcome.Kind.EQUIVOCATION, heldSize, evidence);
  }
}
