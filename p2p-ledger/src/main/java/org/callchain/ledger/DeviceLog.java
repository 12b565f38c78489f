package org.callchain.ledger;

/**
 * The node's own log, the only one it writes. Records are appended to a pending batch and become
 * part of the log at {@link #commit()}, which writes them durably and ends with a new signed
 * checkpoint. A crash before {@code commit} returns loses only the pending batch, never a committed
 * record. Not thread-safe beyond its own synchronized methods; one writer per device.
 */
public interface DeviceLog extends LogView {
  /**
   * Adds a record to the pending batch.
   *
   * @return the leaf index the record will have once committed
   * @throws IllegalArgumentException if the record was not written by this device
   */
  long append(CallRecord record);

  /** Records appended but not yet committed. */
  int pending();

  /**
   * Writes the pending batch durably and signs a checkpoint over the new tree. With nothing pending
   * it returns the latest checkpoint (signing one for the empty tree the first time).
   */
  Checkpoint commit();
}
