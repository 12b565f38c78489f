package org.callchain.ledger.replication.internal;

import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.net.KeyType;
import org.callchain.net.PeerPublicKey;

/** Device addresses of network keys, and the registry's spelling of a device address. */
final class DeviceIds {
  private DeviceIds() {}

  /** The address of a secp256k1 peer key; empty for other key types, which no device has. */
  static Optional<DeviceAddress> addressOf(PeerPublicKey key) {
    if (key.type() != KeyType.SECP256K1) {
      return Optional.empty();
    }
    try {
      return Optional.of(DeviceAddress.ofPublicKey(key.raw()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static org.callchain.chain.DeviceAddress chain(DeviceAddress device) {
    return new org.callchain.chain.DeviceAddress(device.toBytes());
  }

  static DeviceAddress ledger(org.callchain.chain.DeviceAddress device) {
    return DeviceAddress.of(device.bytes());
  }
}
