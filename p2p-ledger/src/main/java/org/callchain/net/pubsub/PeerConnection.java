package org.callchain.net.pubsub;

import java.util.Optional;

/**
 * What the router needs to know about a newly connected pubsub peer.
 *
 * @param outbound whether we dialled the peer; gossipsub v1.1 keeps at least {@code D_out} outbound
 *     peers in every mesh (gossipsub-v1.1.md "Outbound Mesh Quotas")
 * @param ipAddress the peer's remote IP in text form, for the IP colocation factor P6; empty when
 *     the transport has no IP (in-memory)
 */
public record PeerConnection(boolean outbound, Optional<String> ipAddress) {
  public PeerConnection {
    ipAddress = ipAddress == null ? Optional.empty() : ipAddress;
  }

  public static PeerConnection outbound(String ip) {
    return new PeerConnection(true, Optional.ofNullable(ip));
  }

  public static PeerConnection inbound(String ip) {
    return new PeerConnection(false, Optional.ofNullable(ip));
  }
}
