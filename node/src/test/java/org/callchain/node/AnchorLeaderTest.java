package org.callchain.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.callchain.identity.DeviceAddress;
import org.junit.jupiter.api.Test;

/**
 * Who aggregates anchors (ADR 0093): the lowest address among this node and its connected peers.
 */
class AnchorLeaderTest {
  private static final DeviceAddress LOW = DeviceAddress.parse("0x" + "0a".repeat(20));
  private static final DeviceAddress MID = DeviceAddress.parse("0x" + "5b".repeat(20));
  private static final DeviceAddress HIGH = DeviceAddress.parse("0x" + "f0".repeat(20));

  @Test
  void theLowestConnectedAddressLeads() {
    assertThat(AnchorLeader.leads(LOW, Set.of(MID, HIGH))).isTrue();
    assertThat(AnchorLeader.leads(MID, Set.of(LOW, HIGH))).isFalse();
    assertThat(AnchorLeader.leads(HIGH, Set.of(LOW, MID))).isFalse();
  }

  @Test
  void whenTheLeaderIsGoneTheNextLowestLeadsAndALoneNodeLeadsItself() {
    assertThat(AnchorLeader.leads(MID, Set.of(HIGH))).isTrue();
    assertThat(AnchorLeader.leads(HIGH, Set.of())).isTrue();
  }
}
