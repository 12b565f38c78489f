package org.callchain.ledger.replication;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;

/**
 * A connected peer: its libp2p id, the device address of its key, why the gater let it in, and
 * where it connects from.
 */
public record PeerStatus(PeerId peerId, DeviceAddress device, Role role, Multiaddr remoteAddress) {
  /** Why a peer may be connected. */
  public enum Role {
    /** Its key is an active device in the registry. */
    DEVICE,
    /** Its key's address is a configured auditor. */
    AUDITOR
  }

  public PeerStatus {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(role, "role");
  }
}
