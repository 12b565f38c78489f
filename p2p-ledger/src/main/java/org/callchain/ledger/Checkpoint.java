package org.callchain.ledger;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceSignature;
import org.callchain.identity.SignatureVerifier;
import org.callchain.identity.SigningDomain;
import org.callchain.ledger.internal.proto.CanonicalProto;

/**
 * A device's signed statement "my log has {@code treeSize} leaves and this root hash", made at the
 * end of every commit. The signature covers the canonical encoding of (device, size, root, time) in
 * the {@link SigningDomain#CHECKPOINT} domain. {@link #encoded()} is the form gossiped, stored, and
 * put into proof bundles.
 */
public record Checkpoint(
    DeviceAddress device,
    long treeSize,
    Hash256 rootHash,
    long timestampMillis,
    DeviceSignature signature) {

  public Checkpoint {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(rootHash, "rootHash");
    Objects.requireNonNull(signature, "signature");
    if (treeSize < 0 || timestampMillis < 0) {
      throw new IllegalArgumentException("tree size and time cannot be negative");
    }
  }

  /** Signs a checkpoint for {@code key}'s own log. */
  public static Checkpoint sign(DeviceKey key, long treeSize, Hash256 root, long timestampMillis) {
    byte[] body = CanonicalProto.checkpointBody(key.address(), treeSize, root, timestampMillis);
    return new Checkpoint(
        key.address(), treeSize, root, timestampMillis, key.sign(SigningDomain.CHECKPOINT, body));
  }

  /** The bytes the signature covers. */
  public byte[] signedBody() {
    return CanonicalProto.checkpointBody(device, treeSize, rootHash, timestampMillis);
  }

  /** Whether the signature was made by {@link #device()} over this checkpoint. */
  public boolean signatureValid() {
    return SignatureVerifier.verify(device, SigningDomain.CHECKPOINT, signedBody(), signature);
  }

  /** The canonical encoding (body and signature). */
  public byte[] encoded() {
    return CanonicalProto.encodeCheckpoint(this);
  }

  /** Decodes {@link #encoded()} bytes; the signature is not checked here. */
  public static Checkpoint decode(byte[] bytes) throws MalformedDataException {
    return CanonicalProto.decodeCheckpoint(bytes);
  }

  /** Whether this and {@code other} state the same tree (size and root) of the same device. */
  public boolean sameTree(Checkpoint other) {
    return device.equals(other.device)
        && treeSize == other.treeSize
        && rootHash.equals(other.rootHash);
  }
}
