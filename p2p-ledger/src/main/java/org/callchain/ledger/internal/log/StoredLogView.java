package org.callchain.ledger.internal.log;

import java.util.List;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.CallRecordCodec;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.ConsistencyProof;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.InclusionProof;
import org.callchain.ledger.LedgerStorageException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.LogView;
import org.callchain.ledger.MalformedDataException;
import org.callchain.ledger.internal.merkle.CompleteSubtrees;
import org.callchain.ledger.internal.merkle.MerkleProofs;

/** A committed device log read straight from the store; roots and proofs from stored nodes. */
public class StoredLogView implements LogView {
  protected final LedgerStore store;
  protected final DeviceAddress device;
  protected final CompleteSubtrees nodes;
  protected final MerkleProofs proofs;

  public StoredLogView(LedgerStore store, DeviceAddress device) {
    this.store = store;
    this.device = device;
    this.nodes =
        (level, index) ->
            store
                .node(device, level, index)
                .orElseThrow(
                    () ->
                        new LedgerStorageException(
                            "device "
                                + device
                                + ": tree node "
                                + level
                                + "/"
                                + index
                                + " is missing"));
    this.proofs = new MerkleProofs(nodes);
  }

  @Override
  public DeviceAddress device() {
    return device;
  }

  @Override
  public long size() {
    return store.size(device);
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    return store.checkpoint(device, size());
  }

  @Override
  public List<Checkpoint> checkpoints(long fromSize, long toSize) {
    return store.checkpoints(device, fromSize, toSize);
  }

  @Override
  public List<byte[]> leaves(long from, long to) {
    requireCommitted(to);
    return store.leaves(device, from, to);
  }

  @Override
  public CallRecord record(long index) throws MalformedDataException {
    requireCommitted(index + 1);
    byte[] leaf =
        store
            .leaf(device, index)
            .orElseThrow(
                () ->
                    new LedgerStorageException(
                        "device " + device + ": leaf " + index + " is missing"));
    return CallRecordCodec.decode(leaf);
  }

  @Override
  public Hash256 root(long treeSize) {
    requireCommitted(treeSize);
    return proofs.root(treeSize);
  }

  @Override
  public InclusionProof inclusionProof(long index, long treeSize) {
    requireCommitted(treeSize);
    return new InclusionProof(index, treeSize, proofs.inclusionPath(index, treeSize));
  }

  @Override
  public ConsistencyProof consistencyProof(long fromSize, long toSize) {
    requireCommitted(toSize);
    if (fromSize < 0 || fromSize > toSize) {
      throw new IllegalArgumentException("no consistency proof from " + fromSize + " to " + toSize);
    }
    if (fromSize == 0 || fromSize == toSize) {
      return new ConsistencyProof(fromSize, toSize, List.of());
    }
    return new ConsistencyProof(fromSize, toSize, proofs.consistencyPath(fromSize, toSize, true));
  }

  /** The consistency path with the old root always present (for equivocation evidence). */
  public List<Hash256> fullConsistencyPath(long fromSize, long toSize) {
    requireCommitted(toSize);
    return proofs.consistencyPath(fromSize, toSize, false);
  }

  private void requireCommitted(long treeSize) {
    long size = size();
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException(
          "device " + device + " has " + size + " committed leaves; asked for " + treeSize);
    }
  }
}
