package org.callchain.ledger.internal.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AuditProblem;
import org.callchain.ledger.AuditProblem.Where;
import org.callchain.ledger.Hash256;

/**
 * Checks a device's stored tree nodes against the tree its leaves imply: every complete node of the
 * committed size is present, none lies beyond it, and each equals the hash of its leaves. A node
 * over a leaf already blamed for altering the log is not blamed again.
 */
final class TreeNodeAudit {
  private TreeNodeAudit() {}

  static void check(
      DeviceImage img,
      long head,
      boolean[] badLeaf,
      RecomputedTree tree,
      List<AuditProblem> problems) {
    DeviceAddress d = img.device;
    SortedSet<Integer> levels = new TreeSet<>(img.nodesByLevel.keySet());
    for (int level = 0; level < 64 && (head >>> level) > 0; level++) {
      levels.add(level);
    }
    for (int level : levels) {
      Map<Long, byte[]> stored = img.level(level);
      long complete = level < 64 ? head >>> level : 0;
      for (long index = 0; index < complete; index++) {
        if (!stored.containsKey(index)) {
          problems.add(new AuditProblem(Where.NODE, d, index, level, null, "tree node is missing"));
        }
      }
      for (Map.Entry<Long, byte[]> e : new TreeMap<>(stored).entrySet()) {
        long index = e.getKey();
        if (index >= complete) {
          problems.add(
              new AuditProblem(
                  Where.NODE, d, index, level, null, "tree node lies beyond the head"));
          continue;
        }
        Hash256 expected = tree.node(level, index);
        if (expected == null || coversBadLeaf(level, index, badLeaf)) {
          continue;
        }
        if (!Arrays.equals(e.getValue(), expected.toBytes())) {
          problems.add(
              new AuditProblem(
                  Where.NODE,
                  d,
                  index,
                  level,
                  null,
                  "stored hash differs from the hash of its leaves"));
        }
      }
    }
  }

  private static boolean coversBadLeaf(int level, long index, boolean[] badLeaf) {
    long from = index << level;
    long to = Math.min(badLeaf.length, (index + 1) << level);
    for (long i = from; i < to; i++) {
      if (badLeaf[(int) i]) {
        return true;
      }
    }
    return false;
  }
}
