package org.callchain.net;

import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself with identify ({@code /ipfs/id/1.0.0}): its protocols, listen
 * addresses, the address it observed us at, and its agent. The public key has been checked against
 * the connection's authenticated peer id.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/identify/README.md">identify spec</a>
 */
public record IdentifyInfo(
    PeerId peer,
    PeerPublicKey publicKey,
    String protocolVersion,
    String agentVersion,
    List<String> protocols,
    List<Multiaddr> listenAddresses,
    Optional<Multiaddr> observedAddress) {
  public IdentifyInfo {
    protocols = List.copyOf(protocols);
    listenAddresses = List.copyOf(listenAddresses);
  }
}
