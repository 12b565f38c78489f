package org.callchain.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callchain.chain.AnchorStatus;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.RegistryFreshness;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.LogView;
import org.callchain.ledger.replication.NetworkStatus;
import org.callchain.ledger.replication.PeerStatus;
import org.callchain.ledger.replication.ReplicaStatus;

/**
 * The JSON document of {@code GET /status} (NODE-CONTRACT.md), built from the parts of a running
 * node as plain maps and lists so the control server can write it with any JSON mapper.
 */
final class NodeStatus {
  private NodeStatus() {}

  static Map<String, Object> of(CallchainNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    org.callchain.identity.DeviceAddress self = node.identity().key().address();
    out.put("device", self.toHex());
    out.put("sipUri", node.config().sip().uri());
    out.put("registration", registration(node, self));
    NetworkStatus net = node.network().status();
    List<Map<String, Object>> peers = new ArrayList<>();
    for (PeerStatus peer : net.peers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("peerId", peer.peerId().toBase58());
      m.put("device", peer.device().toHex());
      m.put("role", peer.role().name().toLowerCase(Locale.ROOT));
      m.put("address", peer.remoteAddress() == null ? null : peer.remoteAddress().toString());
      m.put("connected", true);
      m.put("score", peer.score());
      peers.add(m);
    }
    out.put("peerId", net.peerId().toBase58());
    out.put("p2p", net.listenAddresses().stream().map(Object::toString).toList());
    out.put("peers", peers);
    out.put("log", log(node.ownLog()));
    AnchorStatus anchors = node.chain().anchors.status();
    out.put(
        "lastAnchor",
        anchors
            .lastConfirmed()
            .map(
                a -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("size", a.checkpoint().treeSize());
                  m.put("root", a.checkpoint().root().hex());
                  m.put("txHash", a.transactionHash());
                  m.put("block", a.blockNumber());
                  return m;
                })
            .orElse(null));
    Map<String, Object> queue = new LinkedHashMap<>();
    queue.put("queued", anchors.queued());
    queue.put("inFlight", anchors.inFlight());
    queue.put("lagRecords", anchors.lagRecords());
    queue.put("lagMillis", anchors.lag().toMillis());
    queue.put("lastError", anchors.lastError().orElse(null));
    out.put("anchorQueue", queue);
    out.put("replicas", replicas(net));
    out.put("witnesses", witnesses(node, self));
    out.put("rejectedMessages", net.rejectedMessages());
    out.put("graylistedRpcs", net.graylistedRpcs());
    return out;
  }

  private static Map<String, Object> registration(
      CallchainNode node, org.callchain.identity.DeviceAddress self) {
    Map<String, Object> m = new LinkedHashMap<>();
    var lookup = node.chain().registry.lookup(DeviceAddress.parse(self.toHex()));
    m.put(
        "status",
        lookup.map(r -> r.status().name().toLowerCase(Locale.ROOT)).orElse("unregistered"));
    m.put("sipIdentity", lookup.map(DeviceRecord::sipIdentity).orElse(null));
    RegistryFreshness f = node.chain().registry.freshness();
    m.put("syncedBlock", f.syncedBlock());
    m.put("stale", f.stale());
    return m;
  }

  private static Map<String, Object> log(LogView log) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("size", log.size());
    m.put("root", log.latestCheckpoint().map(c -> c.rootHash().toHex()).orElse(null));
    m.put("lastCommitMillis", log.latestCheckpoint().map(Checkpoint::timestampMillis).orElse(null));
    return m;
  }

  private static List<Map<String, Object>> replicas(NetworkStatus net) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ReplicaStatus r : net.logs()) {
      if (r.own()) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device", r.device().toHex());
      m.put("size", r.size());
      m.put("root", r.root() == null ? null : r.root().toHex());
      m.put("signedAtMillis", r.signedAt() == null ? null : r.signedAt().toEpochMilli());
      m.put("lastUpdateMillis", r.lastUpdated().map(Instant::toEpochMilli).orElse(null));
      m.put("state", r.state().name().toLowerCase(Locale.ROOT));
      m.put("witnesses", r.witnesses());
      out.add(m);
    }
    return out;
  }

  /** Who co-signed the own latest checkpoint. */
  private static Map<String, Object> witnesses(
      CallchainNode node, org.callchain.identity.DeviceAddress self) {
    Map<String, Object> m = new LinkedHashMap<>();
    long size = node.ownLog().size();
    m.put("size", size);
    m.put(
        "by",
        node.ledger().witnessSignatures(self, size).stream()
            .map(w -> w.witness().toHex())
            .toList());
    return m;
  }
}
