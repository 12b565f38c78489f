package org.callchain.ledger.replication;

import java.util.List;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;

/**
 * A snapshot of the ledger network: our identity and addresses (with {@code /p2p/}), the topic,
 * connected peers, every log held, how many messages our validator rejected since start (gossip and
 * sync), and how many gossipsub RPCs were dropped unread because their sender's score was below the
 * graylist threshold (gossipsub-v1.1.md "Score Thresholds").
 */
public record NetworkStatus(
    PeerId peerId,
    List<Multiaddr> listenAddresses,
    String topic,
    List<PeerStatus> peers,
    List<ReplicaStatus> logs,
    long rejectedMessages,
    long graylistedRpcs) {
  public NetworkStatus {
    listenAddresses = List.copyOf(listenAddresses);
    peers = List.copyOf(peers);
    logs = List.copyOf(logs);
  }
}
