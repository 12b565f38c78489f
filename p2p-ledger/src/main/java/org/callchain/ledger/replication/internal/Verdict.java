package org.callchain.ledger.replication.internal;

import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.replication.RejectionReason;
import org.callchain.net.pubsub.ValidationResult;

/**
 * What validating one gossip message decided and did: the gossipsub verdict, a reason for logs, and
 * what follows — a checkpoint now stored (to co-sign), a co-signature now stored, evidence found,
 * or a gap to fetch by sync. A REJECT carries its {@link Refusal}: the reason's class and the
 * device the message claimed.
 */
record Verdict(
    ValidationResult result,
    String reason,
    Optional<Appended> appended,
    Optional<WitnessMessage> witnessStored,
    Optional<EquivocationEvidence> evidence,
    Optional<Gap> gap,
    Optional<Refusal> refusal) {

  /** Leaves {@code [heldSize, targetSize)} of {@code device} are missing here. */
  record Gap(DeviceAddress device, long heldSize, long targetSize) {}

  /** The replica of {@code checkpoint}'s device grew from {@code fromSize} to the checkpoint. */
  record Appended(Checkpoint checkpoint, long fromSize) {}

  /** Why a message was rejected, and the device it claimed (none if it did not decode). */
  record Refusal(RejectionReason reason, Optional<DeviceAddress> claimedDevice) {}

  Verdict(
      ValidationResult result,
      String reason,
      Optional<Appended> appended,
      Optional<WitnessMessage> witnessStored,
      Optional<EquivocationEvidence> evidence,
      Optional<Gap> gap) {
    this(result, reason, appended, witnessStored, evidence, gap, Optional.empty());
  }

  static Verdict accepted(Checkpoint appended, long fromSize) {
    return new Verdict(
        ValidationResult.ACCEPT,
        "stored",
        Optional.of(new Appended(appended, fromSize)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static Verdict witnessed(WitnessMessage stored) {
    return new Verdict(
        ValidationResult.ACCEPT,
        "co-signature stored",
        Optional.empty(),
        Optional.of(stored),
        Optional.empty(),
        Optional.empty());
  }

  static Verdict forwarded(String reason, Optional<Gap> gap) {
    return new Verdict(
        ValidationResult.ACCEPT, reason, Optional.empty(), Optional.empty(), Optional.empty(), gap);
  }

  /** Refused for {@code why}; {@code claimed} is the device it claimed, if it decoded. */
  static Verdict rejected(RejectionReason why, DeviceAddress claimed, String reason) {
    return new Verdict(
        ValidationResult.REJECT,
        reason,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(new Refusal(why, Optional.ofNullable(claimed))));
  }

  static Verdict equivocation(ValidationResult result, EquivocationEvidence evidence) {
    return new Verdict(
        result,
        "device "
            + evidence.device()
            + " signed inconsistent checkpoints at sizes "
            + evidence.earlier().treeSize()
            + " and "
            + evidence.later().treeSize(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(evidence),
        Optional.empty(),
        result == ValidationResult.REJECT
            ? Optional.of(new Refusal(RejectionReason.EQUIVOCATION, Optional.of(evidence.device())))
            : Optional.empty());
  }

  static Verdict ignored(String reason) {
    return new Verdict(
        ValidationResult.IGNORE,
        reason,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static Verdict gap(Gap gap) {
    return new Verdict(
        ValidationResult.IGNORE,
        "leaves " + gap.heldSize() + ".." + gap.targetSize() + " of " + gap.device() + " missing",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(gap));
  }

  /** The witness signature a stored co-signature carries, for listeners. */
  Optional<WitnessSignature> storedSignature() {
    return witnessStored.map(WitnessMessage::signature);
  }
}
