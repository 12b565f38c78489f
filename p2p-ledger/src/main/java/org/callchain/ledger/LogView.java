package org.callchain.ledger;

import java.util.List;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;

/**
 * Read access to one device's committed log, own or replica: records, checkpoints and proofs by
 * range, which is what a sync protocol serves and what proof bundles are made of. Everything here
 * is committed and signed; pending appends of the own log are not visible.
 */
public interface LogView {
  DeviceAddress device();

  /** Number of committed leaves. */
  long size();

  /** The newest checkpoint, empty if nothing was ever committed. */
  Optional<Checkpoint> latestCheckpoint();

  /** Checkpoints with {@code fromSize <= treeSize < toSize}, in size order. */
  List<Checkpoint> checkpoints(long fromSize, long toSize);

  /** The canonical bytes of leaves {@code [from, to)}. */
  List<byte[]> leaves(long from, long to);

  /** The decoded record at {@code index}. */
  CallRecord record(long index) throws MalformedDataException;

  /** MTH of the first {@code treeSize} leaves. */
  Hash256 root(long treeSize);

  /** The RFC 9162 §2.1.3.1 proof for leaf {@code index} in the tree of {@code treeSize}. */
  InclusionProof inclusionProof(long index, long treeSize);

  /** The RFC 9162 §2.1.4.1 proof from {@code fromSize} to {@code toSize}. */
  ConsistencyProof consistencyProof(long fromSize, long toSize);
}
