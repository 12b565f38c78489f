package org.callchain.ledger.internal.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.CallId;

/** Everything the raw scan found for one device, before any of it is believed. */
final class DeviceImage {
  final DeviceAddress device;
  byte[] head;
  final TreeMap<Long, byte[]> leaves = new TreeMap<>();

  /** Stored nodes by level, then index; levels appear only if some node of theirs is stored. */
  final TreeMap<Integer, Map<Long, byte[]>> nodesByLevel = new TreeMap<>();

  final TreeMap<Long, byte[]> checkpoints = new TreeMap<>();
  final TreeMap<Long, byte[]> equivocations = new TreeMap<>();
  final List<Map.Entry<CallId, byte[]>> callIndex = new ArrayList<>();
  final List<WitnessEntry> witnesses = new ArrayList<>();

  /** A stored witness co-signature of the checkpoint at {@code treeSize}, as its key names it. */
  record WitnessEntry(long treeSize, DeviceAddress witness, byte[] value) {}

  DeviceImage(DeviceAddress device) {
    this.device = device;
  }

  Map<Long, byte[]> level(int level) {
    return nodesByLevel.getOrDefault(level, Map.of());
  }

  long nodeCount() {
    long n = 0;
    for (Map<Long, byte[]> m : nodesByLevel.values()) {
      n += m.size();
    }
    return n;
  }
}
