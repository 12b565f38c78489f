package org.callchain.ledger.internal.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AnchoredCheckpoint;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditProblem.Where;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.LedgerStorageException;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.internal.merkle.MerkleHashing;
import org.callchain.ledger.internal.merkle.TreeFrontier;

/**
 * Checks a store's logs against what was anchored on chain. The root at each anchored size is
 * rebuilt from the stored leaf bytes alone (RFC 9162 §2.1.1, folding a {@link TreeFrontier} as the
 * leaves are read in order), never from stored tree nodes or checkpoints: an attacker who holds the
 * device key can rewrite the leaves and sign fresh, self-consistent checkpoints, and only the
 * anchor, which sits in a block, still tells the old root.
 */
public final class AnchorAudit {
  private static final int CHUNK = 4096;

  private final LedgerStore store;

  public AnchorAudit(LedgerStore store) {
    this.store = store;
  }

  /** Adds a problem for every anchor the store's logs contradict; returns how many were checked. */
  public long check(List<AnchoredCheckpoint> anchors, List<AuditProblem> problems) {
    Map<DeviceAddress, List<AnchoredCheckpoint>> byDevice = new TreeMap<>();
    for (AnchoredCheckpoint a : anchors) {
      byDevice.computeIfAbsent(a.device(), d -> new ArrayList<>()).add(a);
    }
    Optional<DeviceAddress> own = store.ownDevice();
    long checked = 0;
    for (Map.Entry<DeviceAddress, List<AnchoredCheckpoint>> e : byDevice.entrySet()) {
      boolean isOwn = own.map(e.getKey()::equals).orElse(false);
      checked += checkDevice(e.getKey(), isOwn, e.getValue(), problems);
    }
    return checked;
  }

  private long checkDevice(
      DeviceAddress device,
      boolean own,
      List<AnchoredCheckpoint> anchors,
      List<AuditProblem> problems) {
    List<AnchoredCheckpoint> sorted =
        anchors.stream().sorted(Comparator.comparingLong(AnchoredCheckpoint::treeSize)).toList();
    long size = store.devices().contains(device) ? store.size(device) : 0;
    TreeFrontier frontier = TreeFrontier.empty();
    long checked = 0;
    for (AnchoredCheckpoint a : sorted) {
      if (a.treeSize() > size) {
        if (own) {
          problems.add(
              problem(
                  a,
                  "the device anchored "
                      + a.treeSize()
                      + " leaves ("
                      + a.where()
                      + ") but its log here has only "
                      + size
                      + ": anchored records are gone"));
          checked++;
        }
        continue;
      }
      try {
        while (frontier.size() < a.treeSize()) {
          long from = frontier.size();
          long to = Math.min(a.treeSize(), from + CHUNK);
          for (byte[] leaf : store.leaves(device, from, to)) {
            frontier.append(MerkleHashing.leafHash(leaf));
          }
        }
      } catch (LedgerStorageException ex) {
        problems.add(
            problem(
                a, "the root anchored in " + a.where() + " cannot be rebuilt: " + ex.getMessage()));
        checked++;
        return checked;
      }
      checked++;
      Hash256 local = frontier.root();
      if (!local.equals(a.root())) {
        problems.add(
            problem(
                a,
                "anchored root "
                    + a.root().toHex()
                    + " ("
                    + a.where()
                    + ") differs from the log's root "
                    + local.toHex()
                    + " at that size: the log was rewritten after it was anchored"));
      }
    }
    return checked;
  }

  private static AuditProblem problem(AnchoredCheckpoint a, String detail) {
    return new AuditProblem(Where.ANCHOR, a.device(), a.treeSize(), -1, null, detail);
  }
}
