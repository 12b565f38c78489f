package org.callchain.ledger;

import java.util.List;
import java.util.Objects;
import org.callchain.ledger.internal.merkle.ProofVerification;
import org.callchain.ledger.internal.proto.CanonicalProto;

/**
 * Proof that a device signed two checkpoints that cannot both be true. Either both state the same
 * size with different roots, or {@code path} is a consistency path from {@code earlier}'s size to
 * {@code later}'s whose first element is always present (RFC 9162 §2.1.4.1 SUBPROOF with b =
 * false): it reconstructs {@code later}'s signed root, and with it a root of the first {@code
 * earlier.treeSize()} leaves that differs from {@code earlier}'s signed root. By collision
 * resistance of SHA-256 the two statements are then contradictory. Anyone can check it with {@link
 * #proves()}; no store is needed.
 */
public record EquivocationEvidence(
    Checkpoint earlier, Checkpoint later, List<Hash256> path, long detectedMillis) {

  public EquivocationEvidence {
    Objects.requireNonNull(earlier, "earlier");
    Objects.requireNonNull(later, "later");
    path = List.copyOf(path);
  }

  public org.callchain.identity.DeviceAddress device() {
    return earlier.device();
  }

  /** Whether this evidence really shows the device contradicting itself. */
  public boolean proves() {
    if (!earlier.device().equals(later.device())
        || !earlier.signatureValid()
        || !later.signatureValid()) {
      return false;
    }
    if (earlier.treeSize() == later.treeSize()) {
      return path.isEmpty() && !earlier.rootHash().equals(later.rootHash());
    }
    if (earlier.treeSize() > later.treeSize() || earlier.treeSize() == 0) {
      return false;
    }
    ProofVerification.Roots roots =
        ProofVerification.computeRoots(earlier.treeSize(), later.treeSize(), path);
    return roots != null
        && roots.second().equals(later.rootHash())
        && !roots.first().equals(earlier.rootHash());
  }

  public byte[] encoded() {
    return CanonicalProto.encodeEquivocation(earlier, later, path, detectedMillis);
  }

  public static EquivocationEvidence decode(byte[] bytes) throws MalformedDataException {
    CanonicalProto.EquivocationParts p = CanonicalProto.decodeEquivocation(bytes);
    return new EquivocationEvidence(p.earlier(), p.later(), p.path(), p.detectedMillis());
  }
}
