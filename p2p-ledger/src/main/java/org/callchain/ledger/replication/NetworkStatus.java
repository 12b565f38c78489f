package org.callchain.ledger.replication;

import java.util.List;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;

/**
 * A snapshot of the ledger network: our identity and addresses (with {@code /p2p/}), the topic,
 * connected peers, every log held, and how many messages our validator rejected since start.
 */
public record NetworkStatus(
    PeerId peerId,
    List<Multiaddr> listenAddresses,
    String topic,
    List<PeerStatus> peers,
    List<ReplicaStatus> logs,
    long rejectedMessages) {
  public NetworkStatus {
    listenAddresses = List.copyOf(listenAddresses);
    peers = List.copyOf(peers);
    logs = List.copyOf(logs);
  }
}
