package org.callchain.ledger.internal.log;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.CallId;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.CorruptStoreException;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.EquivocationEvidence;
import org.callchain.ledger.InclusionProof;
import org.callchain.ledger.LeafLocation;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStorageException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.LogView;
import org.callchain.ledger.ProofBundle;
import org.callchain.ledger.ReplicaOutcome;
import org.callchain.ledger.ReplicaRejectedException;
import org.callchain.ledger.ReplicaUpdate;
import org.callchain.ledger.WitnessSignature;
import org.callchain.ledger.internal.merkle.TreeFrontier;

/**
 * The {@link Ledger} over one {@link LedgerStore}. Opening checks every log's head the way crash
 * recovery must (docs/ledger.md, "Crash recovery"): the head's checkpoint exists, is signed by its
 * device, and its root equals the root recomputed from the stored nodes; the last leaf is there and
 * nothing lies beyond it. Any failure refuses to open rather than repair.
 */
public final class StoreLedger implements Ledger {
  private final LedgerStore store;
  private final Clock clock;
  private final ReplicaVerifier replicas;
  private OwnDeviceLog own;

  private StoreLedger(LedgerStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.replicas = new ReplicaVerifier(store, clock);
  }

  public static StoreLedger open(LedgerStore store, Clock clock) throws CorruptStoreException {
    try {
      store.ownDevice();
      for (DeviceAddress d : store.devices()) {
        checkHead(store, d);
      }
    } catch (LedgerStorageException e) {
      throw new CorruptStoreException("ledger store is corrupt: " + e.getMessage(), e);
    }
    return new StoreLedger(store, clock);
  }

  private static void checkHead(LedgerStore store, DeviceAddress d) throws CorruptStoreException {
    long size = store.size(d);
    Checkpoint head =
        store
            .checkpoint(d, size)
            .orElseThrow(
                () ->
                    new CorruptStoreException(
                        "ledger store is corrupt: device "
                            + d
                            + " has "
                            + size
                            + " leaves but no checkpoint for that size"));
    if (!head.signatureValid()) {
      throw new CorruptStoreException(
          "ledger store is corrupt: device " + d + ": checkpoint " + size + " has a bad signature");
    }
    if (size > 0 && store.leaf(d, size - 1).isEmpty()) {
      throw new CorruptStoreException(
          "ledger store is corrupt: device " + d + ": leaf " + (size - 1) + " is missing");
    }
    if (store.leaf(d, size).isPresent()) {
      throw new CorruptStoreException(
          "ledger store is corrupt: device " + d + ": a leaf lies beyond the head at " + size);
    }
    StoredLogView view = new StoredLogView(store, d);
    if (!TreeFrontier.of(size, view.nodes).root().equals(head.rootHash())) {
      throw new CorruptStoreException(
          "ledger store is corrupt: device "
              + d
              + ": stored tree does not match checkpoint "
              + size);
    }
  }

  @Override
  public synchronized DeviceLog ownLog(DeviceKey key) throws LedgerException {
    if (own != null) {
      if (!own.device().equals(key.address())) {
        throw new LedgerException("the own log is already open for " + own.device());
      }
      return own;
    }
    store.claimOwnDevice(key.address());
    own = new OwnDeviceLog(store, key, clock);
    return own;
  }

  @Override
  public Optional<DeviceAddress> ownDevice() {
    return store.ownDevice();
  }

  @Override
  public SortedSet<DeviceAddress> devices() {
    return store.devices();
  }

  @Override
  public synchronized Optional<LogView> log(DeviceAddress device) {
    if (own != null && own.device().equals(device)) {
      return Optional.of(own);
    }
    return store.devices().contains(device)
        ? Optional.of(new StoredLogView(store, device))
        : Optional.empty();
  }

  @Override
  public synchronized ReplicaOutcome acceptReplica(ReplicaUpdate update)
      throws ReplicaRejectedException {
    return replicas.accept(update);
  }

  @Override
  public synchronized boolean addWitnessSignature(Checkpoint checkpoint, WitnessSignature witness)
      throws LedgerException {
    DeviceAddress d = checkpoint.device();
    Optional<Checkpoint> held = store.checkpoint(d, checkpoint.treeSize());
    if (held.isEmpty()) {
      throw new LedgerException(
          "no checkpoint of " + d + " at size " + checkpoint.treeSize() + " is held here");
    }
    if (!held.get().equals(checkpoint)) {
      throw new LedgerException(
          "the co-signed checkpoint of "
              + d
              + " at size "
              + checkpoint.treeSize()
              + " differs from the one held here");
    }
    if (witness.witness().equals(d)) {
      throw new LedgerException("a device cannot witness its own checkpoint");
    }
    if (!witness.verifies(checkpoint)) {
      throw new LedgerException(
          "witness signature of "
              + witness.witness()
              + " over checkpoint "
              + checkpoint.treeSize()
              + " of "
              + d
              + " does not verify");
    }
    return store.addWitnessSignature(d, checkpoint.treeSize(), witness);
  }

  @Override
  public List<WitnessSignature> witnessSignatures(DeviceAddress device, long treeSize) {
    return store.witnessSignatures(device, treeSize);
  }

  @Override
  public List<EquivocationEvidence> equivocations() {
    List<EquivocationEvidence> out = new ArrayList<>();
    for (DeviceAddress d : store.devices()) {
      out.addAll(store.equivocations(d));
    }
    return out;
  }

  @Override
  public List<LeafLocation> locate(CallId callId) {
    Optional<DeviceAddress> ownDevice = store.ownDevice();
    List<LeafLocation> out = new ArrayList<>(store.locate(callId));
    out.sort(
        Comparator.comparing(
                (LeafLocation l) -> ownDevice.map(o -> !o.equals(l.device())).orElse(true))
            .thenComparing(LeafLocation::device));
    return out;
  }

  @Override
  public ProofBundle exportProof(LeafLocation location) throws LedgerException {
    LogView view =
        log(location.device())
            .orElseThrow(() -> new LedgerException("no log for device " + location.device()));
    Checkpoint cp =
        view.latestCheckpoint()
            .orElseThrow(
                () -> new LedgerException("device " + location.device() + " has no checkpoint"));
    if (location.leafIndex() >= cp.treeSize()) {
      throw new LedgerException(
          "leaf " + location.leafIndex() + " is not covered by a checkpoint yet");
    }
    byte[] leaf = view.leaves(location.leafIndex(), location.leafIndex() + 1).get(0);
    InclusionProof proof = view.inclusionProof(location.leafIndex(), cp.treeSize());
    return new ProofBundle(
        location.leafIndex(), leaf, view.record(location.leafIndex()), proof, cp);
  }

  @Override
  public void close() {
    store.close();
  }
}
