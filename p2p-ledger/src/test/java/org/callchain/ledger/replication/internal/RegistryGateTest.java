package org.callchain.ledger.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.callchain.ledger.replication.TestRegistry;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.net.Direction;
import org.callchain.net.NodeKey;
import org.callchain.net.PeerPublicKey;
import org.junit.jupiter.api.Test;

/** Who may connect: active registered devices and auditors, by the address of their key. */
class RegistryGateTest {
  private final TestRegistry registry = new TestRegistry().register(TestKeys.ALICE.address());
  private final RegistryGate gate =
      new RegistryGate(new Membership(registry, Set.of(TestKeys.CAROL.address())));

  private boolean allows(NodeKey key, Direction direction) {
    PeerPublicKey pub = key.publicKey();
    return gate.allow(pub, pub.toPeerId(), direction);
  }

  @Test
  void aRegisteredDeviceKeyIsAllowedBothWays() {
    assertThat(allows(TestKeys.ALICE.networkKey(), Direction.INBOUND)).isTrue();
    assertThat(allows(TestKeys.ALICE.networkKey(), Direction.OUTBOUND)).isTrue();
  }

  @Test
  void anAuditorKeyIsAllowedWithoutRegistration() {
    assertThat(allows(TestKeys.CAROL.networkKey(), Direction.INBOUND)).isTrue();
  }

  @Test
  void unknownAndNonDeviceKeysAreRefused() {
    assertThat(allows(TestKeys.MALLORY.networkKey(), Direction.INBOUND)).isFalse();
    assertThat(allows(NodeKey.generateSecp256k1(), Direction.OUTBOUND)).isFalse();
    assertThat(allows(NodeKey.generateEd25519(), Direction.INBOUND)).isFalse();
  }

  @Test
  void aRevokedDeviceIsRefusedFromThenOn() {
    registry.revoke(TestKeys.ALICE.address());
    assertThat(allows(TestKeys.ALICE.networkKey(), Direction.INBOUND)).isFalse();
  }

  @Test
  void theNetworkKeyOfADeviceHasTheDevicesAddress() {
    assertThat(DeviceIds.addressOf(TestKeys.BOB.networkKey().publicKey()))
        .contains(TestKeys.BOB.address());
  }

  @Test
  void aClosedGateRefusesEveryone() {
    gate.close();
    assertThat(allows(TestKeys.ALICE.networkKey(), Direction.INBOUND)).isFalse();
  }
}
