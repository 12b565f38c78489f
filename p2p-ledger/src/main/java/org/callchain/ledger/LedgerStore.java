package org.callchain.ledger;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.callchain.identity.DeviceAddress;

/**
 * Durable storage of the node's own log and the replicas of other devices' logs: leaves, complete
 * subtree hashes, signed checkpoints with their witness co-signatures, a call-id index and
 * equivocation evidence. The store only ever appends: a commit must start exactly at a log's
 * current size, and nothing is replaced. {@link #commit} is atomic and durable when it returns (a
 * synced write). Reads throw {@link LedgerStorageException} on I/O failure or bytes that cannot be
 * decoded.
 *
 * <p>Implementations: {@code internal.rocksdb.RocksDbLedgerStore} and the in-memory {@code
 * internal.memory.InMemoryLedgerStore}; both pass {@code AbstractLedgerStoreContractTest}.
 */
public interface LedgerStore extends AutoCloseable {

  /** The device whose own log this store holds, once claimed. */
  Optional<DeviceAddress> ownDevice();

  /**
   * Records {@code device} as the owner of this store; idempotent for the same device.
   *
   * @throws LedgerException if the store already belongs to another device
   */
  void claimOwnDevice(DeviceAddress device) throws LedgerException;

  /** Every device with a committed log here (own and replicas), in address order. */
  SortedSet<DeviceAddress> devices();

  /** Number of committed leaves of {@code device}'s log (0 if unknown). */
  long size(DeviceAddress device);

  /** Leaf {@code index} of {@code device}'s log, if stored. */
  Optional<byte[]> leaf(DeviceAddress device, long index);

  /** Leaves {@code [from, to)} in order; fails if any is missing. */
  List<byte[]> leaves(DeviceAddress device, long from, long to);

  /** The complete-subtree hash {@code (level, index)}, if stored. */
  Optional<Hash256> node(DeviceAddress device, int level, long index);

  /** The checkpoint at exactly {@code treeSize}, if one was committed. */
  Optional<Checkpoint> checkpoint(DeviceAddress device, long treeSize);

  /** Checkpoints with {@code fromSize <= treeSize < toSize}, in size order. */
  List<Checkpoint> checkpoints(DeviceAddress device, long fromSize, long toSize);

  /** Every stored leaf that carries {@code callId} (one per device that recorded the call). */
  List<LeafLocation> locate(CallId callId);

  /** Appends one commit atomically and durably. */
  void commit(LogCommit commit);

  /** Stores equivocation evidence durably (never replacing earlier evidence). */
  void addEquivocation(EquivocationEvidence evidence);

  /** All stored evidence against {@code device}, oldest first. */
  List<EquivocationEvidence> equivocations(DeviceAddress device);

  /**
   * Stores a witness co-signature of the checkpoint at {@code treeSize}, at most one per witness (a
   * later one from the same witness is not stored). The caller has verified it against the stored
   * checkpoint. Not a synced write: it becomes durable with the next synced commit, so a crash may
   * lose the latest co-signatures (peers hand them back by sync); it never loses a commit.
   *
   * @return whether it was new
   * @throws IllegalStateException if no checkpoint of that size is stored
   */
  boolean addWitnessSignature(DeviceAddress device, long treeSize, WitnessSignature witness);

  /**
   * The witness co-signatures stored for the checkpoint at {@code treeSize}, by witness address.
   */
  List<WitnessSignature> witnessSignatures(DeviceAddress device, long treeSize);

  /**
   * Visits every stored key/value pair in key order, exactly as stored. For the audit, which must
   * see what is really there rather than what the typed reads assume.
   */
  void scanRaw(RawVisitor visitor);

  /** Receives raw entries from {@link #scanRaw}. */
  @FunctionalInterface
  interface RawVisitor {
    void visit(byte[] key, byte[] value);
  }

  @Override
  void close();
}
