package org.callchain.ledger;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;

/**
 * A node's ledger: its own device log plus replicas of other devices' logs, in one store. Open with
 * {@link Ledgers#open}; the store is checked on open (crash recovery) and never repaired silently.
 */
public interface Ledger extends AutoCloseable {
  /** The own log, writable with {@code key}; claims the store for the key's device on first use. */
  DeviceLog ownLog(DeviceKey key) throws LedgerException;

  /** The store's own device, if claimed. */
  Optional<DeviceAddress> ownDevice();

  /** Every device with a log here. */
  SortedSet<DeviceAddress> devices();

  /** Read access to any device's log held here. */
  Optional<LogView> log(DeviceAddress device);

  /**
   * Verifies a replica update and stores it, or stores evidence if it contradicts what the device
   * signed before; never overwrites anything.
   *
   * @throws ReplicaRejectedException if the update is invalid (nothing stored)
   */
  ReplicaOutcome acceptReplica(ReplicaUpdate update) throws ReplicaRejectedException;

  /**
   * Stores a witness co-signature of a checkpoint held here (own log or replica), after checking
   * that {@code checkpoint} is exactly the stored one and the signature is the witness's.
   *
   * @return whether it was new (false if this witness's co-signature is already stored)
   * @throws LedgerException if the checkpoint is not held here, differs from the held one, the
   *     witness is the checkpoint's own device, or the signature does not verify (nothing stored)
   */
  boolean addWitnessSignature(Checkpoint checkpoint, WitnessSignature witness)
      throws LedgerException;

  /** The witness co-signatures stored for {@code device}'s checkpoint at {@code treeSize}. */
  List<WitnessSignature> witnessSignatures(DeviceAddress device, long treeSize);

  /** Evidence of equivocation against any device. */
  List<EquivocationEvidence> equivocations();

  /** Where the record with {@code callId} is stored (own log first). */
  List<LeafLocation> locate(CallId callId);

  /** A self-contained proof bundle for the record at {@code location}. */
  ProofBundle exportProof(LeafLocation location) throws LedgerException;

  @Override
  void close();
}
