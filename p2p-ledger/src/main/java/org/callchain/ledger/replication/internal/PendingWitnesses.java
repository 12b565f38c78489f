package org.callchain.ledger.replication.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callchain.identity.DeviceAddress;

/**
 * Verified co-signatures of checkpoints this node does not hold yet (a witness's message can
 * overtake the commit it co-signs). Kept until the replica reaches the checkpoint's size; bounded,
 * oldest dropped first. Used on the replication thread only.
 */
final class PendingWitnesses {
  private final int capacity;
  private final LinkedHashMap<String, WitnessMessage> pending = new LinkedHashMap<>();

  PendingWitnesses(int capacity) {
    this.capacity = capacity;
  }

  void add(WitnessMessage w) {
    String key =
        w.checkpoint().device() + "/" + w.checkpoint().treeSize() + "/" + w.signature().witness();
    pending.remove(key);
    pending.put(key, w);
    while (pending.size() > capacity) {
      Iterator<Map.Entry<String, WitnessMessage>> oldest = pending.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Removes and returns those for {@code device} at sizes up to {@code heldSize}. */
  List<WitnessMessage> takeUpTo(DeviceAddress device, long heldSize) {
    List<WitnessMessage> out = new ArrayList<>();
    Iterator<WitnessMessage> it = pending.values().iterator();
    while (it.hasNext()) {
      WitnessMessage w = it.next();
      if (w.checkpoint().device().equals(device) && w.checkpoint().treeSize() <= heldSize) {
        out.add(w);
        it.remove();
      }
    }
    return out;
  }

  int size() {
    return pending.size();
  }
}
