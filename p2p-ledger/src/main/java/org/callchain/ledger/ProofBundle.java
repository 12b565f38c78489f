package org.callchain.ledger;

import java.util.Arrays;
import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.internal.json.BundleJson;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.proto.CanonicalProto;

/**
 * One call record with everything needed to check it offline: the canonical leaf bytes, the record
 * decoded from them, its leaf index, the inclusion proof into a signed checkpoint, and, once the
 * record is anchored, the anchor reference with the RFC 9162 §2.1.4 consistency proof from the
 * checkpoint to the anchored tree (both null before). Verifying needs nothing but the bundle and
 * the device address: the signature binds the checkpoint to the device, the inclusion proof binds
 * the leaf to the checkpoint's root, the canonical decoding binds the record to the leaf, and the
 * consistency proof binds the checkpoint to the anchored root. That the anchored root really is on
 * chain is the one check that needs the chain ({@code callchain verify --rpc}).
 */
public record ProofBundle(
    long leafIndex,
    byte[] leaf,
    CallRecord record,
    InclusionProof proof,
    Checkpoint checkpoint,
    AnchorReference anchor,
    ConsistencyProof anchorConsistency) {

  /** The JSON {@code format} value this code writes and reads. */
  public static final String FORMAT = "callchain-proof-bundle/1";

  public ProofBundle {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(checkpoint, "checkpoint");
    leaf = leaf.clone();
    if ((anchor == null) != (anchorConsistency == null)) {
      throw new IllegalArgumentException(
          "an anchor reference and its consistency proof come together");
    }
  }

  /** A bundle of a record not anchored yet. */
  public ProofBundle(
      long leafIndex, byte[] leaf, CallRecord record, InclusionProof proof, Checkpoint checkpoint) {
    this(leafIndex, leaf, record, proof, checkpoint, null, null);
  }

  @Override
  public byte[] leaf() {
    return leaf.clone();
  }

  public DeviceAddress device() {
    return checkpoint.device();
  }

  /** The bundle as pretty-printed JSON. */
  public String toJson() {
    return BundleJson.write(this);
  }

  /**
   * Reads a bundle; the record rendering inside must match the signed leaf.
   *
   * @throws MalformedDataException if the text is not a complete, well-formed bundle
   */
  public static ProofBundle parse(String json) throws MalformedDataException {
    return BundleJson.read(json);
  }

  /**
   * Checks the bundle against {@code expectedDevice} (the device the verifier believes wrote the
   * record); returns the proven record.
   *
   * @throws BundleRejectedException naming the first check that failed
   */
  public CallRecord verify(DeviceAddress expectedDevice) throws BundleRejectedException {
    if (!checkpoint.device().equals(expectedDevice)) {
      throw new BundleRejectedException(
          "bundle is for device " + checkpoint.device() + ", not " + expectedDevice);
    }
    if (!checkpoint.signatureValid()) {
      throw new BundleRejectedException(
          "checkpoint signature is not valid for device " + expectedDevice);
    }
    byte[] canonical = CanonicalProto.encodeRecord(record);
    if (!Arrays.equals(canonical, leaf)) {
      throw new BundleRejectedException("record does not match the signed leaf bytes");
    }
    if (!record.recordingDevice().equals(expectedDevice)) {
      throw new BundleRejectedException(
          "record was written by " + record.recordingDevice() + ", not by " + expectedDevice);
    }
    if (proof.leafIndex() != leafIndex || proof.treeSize() != checkpoint.treeSize()) {
      throw new BundleRejectedException(
          "inclusion proof is for leaf "
              + proof.leafIndex()
              + " of "
              + proof.treeSize()
              + ", bundle says leaf "
              + leafIndex
              + " of "
              + checkpoint.treeSize());
    }
    if (!proof.verifiesLeafHash(MerkleHashing.leafHash(leaf), checkpoint.rootHash())) {
      throw new BundleRejectedException(
          "inclusion proof for leaf " + leafIndex + " does not lead to the signed root");
    }
    if (anchor != null) {
      verifyAnchorConsistency();
    }
    return record;
  }

  private void verifyAnchorConsistency() throws BundleRejectedException {
    if (anchor.anchoredTreeSize() < checkpoint.treeSize()) {
      throw new BundleRejectedException(
          "anchor reference is for size "
              + anchor.anchoredTreeSize()
              + ", smaller than the checkpoint's "
              + checkpoint.treeSize());
    }
    if (anchorConsistency.fromSize() != checkpoint.treeSize()
        || anchorConsistency.toSize() != anchor.anchoredTreeSize()) {
      throw new BundleRejectedException(
          "consistency proof is from size "
              + anchorConsistency.fromSize()
              + " to "
              + anchorConsistency.toSize()
              + ", the bundle needs "
              + checkpoint.treeSize()
              + " to "
              + anchor.anchoredTreeSize());
    }
    if (!anchorConsistency.verifies(checkpoint.rootHash(), anchor.anchoredRoot())) {
      throw new BundleRejectedException(
          "consistency proof does not lead from the signed root to the anchored root "
              + anchor.anchoredRoot().toHex());
    }
  }
}
