package org.callchain.node;

import java.util.Set;
import org.callchain.identity.DeviceAddress;

/**
 * Who aggregates anchors (ADR 0093): the device with the lowest address among this node and the
 * registered devices connected to it. In a connected network every node reaches the same answer;
 * when the leader stops, its peers see it go and the next lowest takes over. Two nodes that both
 * think they lead (a partition) may send the same entries: the chain keeps the first, the second
 * batch is refused and retried without them.
 */
final class AnchorLeader {
  private AnchorLeader() {}

  static boolean leads(DeviceAddress self, Set<DeviceAddress> connected) {
    return connected.stream().noneMatch(d -> d.compareTo(self) < 0);
  }
}
