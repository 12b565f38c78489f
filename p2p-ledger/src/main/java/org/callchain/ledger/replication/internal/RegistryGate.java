package org.callchain.ledger.replication.internal;

import java.util.Optional;
import org.callchain.chain.DeviceRecord;
import org.callchain.identity.DeviceAddress;
import org.callchain.net.Connection;
import org.callchain.net.ConnectionGater;
import org.callchain.net.Direction;
import org.callchain.net.Host;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission to the network (design brief, "Replication"): a connection, in either direction, is
 * kept only if the peer's authenticated key is secp256k1 and its Ethereum address is an active
 * registered device or a configured auditor. Consulted by the host right after the Noise handshake
 * (libp2p connections spec, "Upgrading Connections"), answering from the registry's cached view.
 * When the registry reports a device no longer active, its open connections are closed; later dials
 * in either direction are refused by the same check.
 */
final class RegistryGate implements ConnectionGater {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryGate.class);

  private final Membership members;
  private volatile Host host;
  private volatile boolean closed;

  RegistryGate(Membership members) {
    this.members = members;
  }

  void attach(Host value) {
    host = value;
  }

  void close() {
    closed = true;
  }

  @Override
  public boolean allow(PeerPublicKey remoteKey, PeerId remotePeer, Direction direction) {
    Optional<DeviceAddress> address = DeviceIds.addressOf(remoteKey);
    boolean allowed = !closed && address.isPresent() && members.mayConnect(address.get());
    if (!allowed) {
      LOG.info(
          "refused {} connection of {} ({}): not an active registered device or auditor",
          direction,
          remotePeer,
          address.map(DeviceAddress::toString).orElse("no device key"));
    }
    return allowed;
  }

  /** Registry listener: closes connections of a device that is no longer active. */
  void deviceChanged(DeviceRecord record) {
    Host h = host;
    if (closed || h == null || record.active()) {
      return;
    }
    DeviceAddress device = DeviceIds.ledger(record.address());
    if (members.isAuditor(device)) {
      return;
    }
    for (Connection c : h.connections()) {
      if (DeviceIds.addressOf(c.remotePublicKey()).filter(device::equals).isPresent()) {
        LOG.info(
            "closing connection of {}: device {} is {}", c.remotePeer(), device, record.status());
        c.close();
      }
    }
  }
}
