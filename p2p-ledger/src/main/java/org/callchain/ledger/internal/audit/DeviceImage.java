package org.callchain.ledger.internal.audit;

import java.util.ArrayList;
import java.util.HashMap;
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
  final List<Map<Long, byte[]>> nodesByLevel = newLevels();
  final TreeMap<Long, byte[]> checkpoints = new TreeMap<>();
  final TreeMap<Long, byte[]> equivocations = new TreeMap<>();
  final List<Map.Entry<CallId, byte[]>> callIndex = new ArrayList<>();

  DeviceImage(DeviceAddress device) {
    this.device = device;
  }

  private static List<Map<Long, byte[]>> newLevels() {
    List<Map<Long, byte[]>> levels = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      levels.add(new HashMap<>());
    }
    return levels;
  }

  long nodeCount() {
    long n = 0;
    for (Map<Long, byte[]> m : nodesByLevel) {
      n += m.size();
    }
    return n;
  }
}
