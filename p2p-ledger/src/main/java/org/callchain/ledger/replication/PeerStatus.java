package org.callchain.ledger.replication;

import java.util.Objects;
import org.callchain.identity.DeviceAddress;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;

/**
 * A connected peer: its libp2p id, the device address of its key, why the gater let it in, where it
 * connects from, and its gossipsub score here (gossipsub-v1.1.md "The Score Function"; negative
 * after it sent messages our validator rejected, 0 when unknown).
 */
public record PeerStatus(
    PeerId peerId, DeviceAddress device, Role role, Multiaddr remoteAddress, double score) {
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
