package org.callchain.ledger.replication.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.callchain.chain.AnchorContract;
import org.callchain.chain.AnchorStatement;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LogView;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.ReplicaOutcome;
import org.callchain.ledger.ReplicaRejectedException;
import org.callchain.ledger.ReplicaUpdate;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.RejectionReason;

/**
 * Decides what a gossip message on the commit topic is worth, before gossipsub forwards it
 * (gossipsub-v1.1.md "Extended Validators"), and stores what is valid. For a commit, in order:
 *
 * <ol>
 *   <li>it decodes strictly ({@link ReplicationCodec}), else REJECT;
 *   <li>a commit of this node's own log is IGNOREd, or REJECTed if it is not signed by us;
 *   <li>its checkpoint's device is an active registered device, else REJECT;
 *   <li>the checkpoint's signature is the device's, else REJECT;
 *   <li>if it starts beyond the leaves held for that device, the gap is fetched by sync and the
 *       message IGNOREd (it is not invalid, just not checkable yet);
 *   <li>{@link Ledger#acceptReplica} checks consistency with the last checkpoint held and the
 *       leaves against the signed root: appended → ACCEPT; already held → IGNORE; contradicts a
 *       held checkpoint → evidence stored, REJECT; anything else → REJECT, nothing stored.
 * </ol>
 *
 * A commit may carry the device's anchor statement for its checkpoint (ADR 0093). With an anchor
 * contract configured it is checked after step 2: it must recover to the checkpoint's device for
 * that chain id and contract with a low s (what {@code LedgerAnchor.anchorBatch} will check), else
 * the whole message is REJECTed; a valid statement of a commit not rejected is passed on to the
 * node's anchor aggregator.
 *
 * <p>A witness co-signature is accepted when its witness is an active device or an auditor, both
 * signatures verify, and it co-signs the checkpoint held here (stored) or one beyond it (kept until
 * the replica gets there, and fetched); one that co-signs a different tree than the one held proves
 * the device equivocated. Runs on the replication thread only.
 */
final class GossipValidation {
  private final Ledger ledger;
  private final DeviceAddress own;
  private final Membership members;
  private final PendingWitnesses pending = new PendingWitnesses(4096);
  private final Optional<AnchorContract> anchorContract;
  private final Consumer<AnchorStatement> statements;

  GossipValidation(Ledger ledger, DeviceAddress own, Membership members) {
    this(ledger, own, members, Optional.empty(), s -> {});
  }

  /**
   * @param anchorContract what a commit's anchor statement must be bound to; empty: statements are
   *     dropped unchecked
   * @param statements told of every valid anchor statement of a commit that was not rejected
   */
  GossipValidation(
      Ledger ledger,
      DeviceAddress own,
      Membership members,
      Optional<AnchorContract> anchorContract,
      Consumer<AnchorStatement> statements) {
    this.ledger = ledger;
    this.own = own;
    this.members = members;
    this.anchorContract = anchorContract;
    this.statements = statements;
  }

  Verdict validate(byte[] data) {
    ReplicationCodec.Gossip gossip;
    try {
      gossip = ReplicationCodec.decodeGossip(data);
    } catch (MalformedDataException e) {
      return Verdict.rejected(RejectionReason.MALFORMED, null, "malformed: " + e.getMessage());
    }
    return gossip.commit() != null ? commit(gossip.commit()) : witness(gossip.witness());
  }

  Membership members() {
    return members;
  }

  long heldSize(DeviceAddress device) {
    return ledger.log(device).map(LogView::size).orElse(0L);
  }

  /** Checks a commit (from gossip or a sync page) and stores it as a replica if valid. */
  Verdict commit(CommitMessage c) {
    Checkpoint cp = c.checkpoint();
    DeviceAddress d = cp.device();
    if (d.equals(own)) {
      // Our own commits come back harmlessly (a peer's late copy); one we did not sign is a
      // forgery of our identity, punished like any other.
      return cp.signatureValid()
          ? Verdict.ignored("a commit of this node's own log")
          : Verdict.rejected(
              RejectionReason.BAD_SIGNATURE,
              d,
              "checkpoint of size "
                  + cp.treeSize()
                  + " of this node's own log is not signed by it");
    }
    if (!members.isActiveDevice(d)) {
      return Verdict.rejected(
          RejectionReason.NOT_REGISTERED,
          d,
          "commit signer " + d + " is not an active registered device");
    }
    Optional<AnchorStatement> statement = c.statement().filter(s -> anchorContract.isPresent());
    if (statement.isPresent() && !anchorContract.get().authorises(statement.get())) {
      // The device signs both; a statement that does not recover to it (another chain or
      // contract, a high s, a forged signature) would make any batch holding it revert.
      return Verdict.rejected(
          RejectionReason.BAD_SIGNATURE,
          d,
          "anchor statement of size "
              + cp.treeSize()
              + " is not signed by device "
              + d
              + " for chain "
              + anchorContract.get().chainId()
              + " and anchor contract "
              + anchorContract.get().address());
    }
    Verdict v = replicate(c, d);
    if (statement.isPresent() && v.result() != org.callchain.net.pubsub.ValidationResult.REJECT) {
      statements.accept(statement.get());
    }
    return v;
  }

  private Verdict replicate(CommitMessage c, DeviceAddress d) {
    Checkpoint cp = c.checkpoint();
    long held = heldSize(d);
    if (c.firstIndex() > held) {
      // Only a genuinely signed commit may make us fetch; otherwise acceptReplica checks it.
      if (!cp.signatureValid()) {
        return Verdict.rejected(
            RejectionReason.BAD_SIGNATURE,
            d,
            "checkpoint of size " + cp.treeSize() + " is not signed by device " + d);
      }
      return Verdict.gap(new Verdict.Gap(d, held, cp.treeSize()));
    }
    return apply(c.updateFor(held));
  }

  private Verdict apply(ReplicaUpdate update) {
    try {
      ReplicaOutcome outcome = ledger.acceptReplica(update);
      return switch (outcome.kind()) {
        case APPENDED -> Verdict.accepted(update.checkpoint(), update.firstIndex());
        case ALREADY_KNOWN -> Verdict.ignored("already held");
        case EQUIVOCATION ->
            Verdict.equivocation(
                org.callchain.net.pubsub.ValidationResult.REJECT, outcome.evidence());
      };
    } catch (ReplicaRejectedException e) {
      // Only on this (rare) path is the signature checked a second time, to tell a forgery from
      // a genuine commit that does not fit what is held.
      Checkpoint cp = update.checkpoint();
      RejectionReason why =
          cp.signatureValid() ? RejectionReason.INCONSISTENT : RejectionReason.BAD_SIGNATURE;
      return Verdict.rejected(why, cp.device(), e.getMessage());
    }
  }

  Verdict witness(WitnessMessage w) {
    Checkpoint cp = w.checkpoint();
    WitnessSignature s = w.signature();
    DeviceAddress d = cp.device();
    if (s.witness().equals(d)) {
      return Verdict.rejected(
          RejectionReason.BAD_WITNESS,
          s.witness(),
          "device " + d + " co-signed its own checkpoint");
    }
    if (!members.isActiveDevice(s.witness()) && !members.isAuditor(s.witness())) {
      return Verdict.rejected(
          RejectionReason.NOT_REGISTERED,
          s.witness(),
          "witness " + s.witness() + " is not a registered device or auditor");
    }
    long held = heldSize(d);
    Optional<Checkpoint> heldCheckpoint =
        cp.treeSize() <= held
            ? ledger.log(d).flatMap(v -> first(v.checkpoints(cp.treeSize(), cp.treeSize() + 1)))
            : Optional.empty();
    if (heldCheckpoint.isPresent() && heldCheckpoint.get().equals(cp)) {
      // The very checkpoint we verified when we stored it; addWitnessSignature checks the rest.
      if (ledger.witnessSignatures(d, cp.treeSize()).contains(s)) {
        return Verdict.ignored("co-signature already held");
      }
      try {
        return ledger.addWitnessSignature(cp, s)
            ? Verdict.witnessed(w)
            : Verdict.ignored("co-signature already held");
      } catch (LedgerException e) {
        return Verdict.rejected(RejectionReason.BAD_WITNESS, s.witness(), e.getMessage());
      }
    }
    if (!cp.signatureValid()) {
      return Verdict.rejected(
          RejectionReason.BAD_SIGNATURE,
          d,
          "co-signed checkpoint of size " + cp.treeSize() + " is not signed by device " + d);
    }
    if (!s.verifies(cp)) {
      return Verdict.rejected(
          RejectionReason.BAD_WITNESS,
          s.witness(),
          "co-signature of witness " + s.witness() + " does not verify");
    }
    if (cp.treeSize() <= held) {
      if (d.equals(own)) {
        return Verdict.ignored("co-signs a checkpoint of this node's own log that is not held");
      }
      Verdict v = apply(new ReplicaUpdate(cp, held, List.of(), null));
      return v.evidence().isPresent()
          ? Verdict.equivocation(
              org.callchain.net.pubsub.ValidationResult.ACCEPT, v.evidence().get())
          : Verdict.ignored("co-signs a checkpoint that is not held here");
    }
    if (d.equals(own) || !members.isActiveDevice(d)) {
      return Verdict.ignored("co-signs a checkpoint beyond the log held here");
    }
    pending.add(w);
    return Verdict.forwarded(
        "co-signature kept until the replica reaches it",
        Optional.of(new Verdict.Gap(d, held, cp.treeSize())));
  }

  /** Stores the kept co-signatures that the replica of {@code device} has now reached. */
  List<Verdict> releasePending(DeviceAddress device) {
    return pending.takeUpTo(device, heldSize(device)).stream().map(this::witness).toList();
  }

  private static Optional<Checkpoint> first(List<Checkpoint> list) {
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }
}
