package org.callchain.ledger.replication.internal;

import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.RootHash;
import org.callchain.ledger.Checkpoint;

/**
 * The bridge between a ledger {@link Checkpoint} and the chain's {@link AnchorStatement}: on the
 * wire a statement is only its signature, and the device, size and root are the checkpoint's.
 */
final class AnchorStatements {
  private AnchorStatements() {}

  static AnchorCheckpoint anchorCheckpoint(Checkpoint cp) {
    return new AnchorCheckpoint(cp.treeSize(), new RootHash(cp.rootHash().toBytes()));
  }

  static DeviceAddress device(Checkpoint cp) {
    return new DeviceAddress(cp.device().toBytes());
  }

  /** The statement of {@code cp}'s device for {@code cp} with this compact signature. */
  static AnchorStatement of(Checkpoint cp, byte[] r, byte[] yParityAndS) {
    return new AnchorStatement(device(cp), anchorCheckpoint(cp), r, yParityAndS);
  }

  /** Whether {@code s} speaks of exactly {@code cp}: same device, size and root. */
  static boolean covers(AnchorStatement s, Checkpoint cp) {
    return s.device().equals(device(cp)) && s.checkpoint().equals(anchorCheckpoint(cp));
  }
}
