package org.callchain.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callchain.chain.AnchorStatus;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.RegistryFreshness;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.LogView;

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
    out.put("peers", List.of());
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
    out.put("replicas", replicas(node, self));
    out.put("witnesses", Map.of());
    return out;
  }

  private static Map<String, Object> registration(
      CallchainNode node, org.callchain.identity.DeviceAddress self) {
    Map<String, Object> m = new LinkedHashMap<>();
    var lookup = node.chain().registry.lookup(DeviceAddress.parse(self.toHex()));
    m.put(
        "status",
        lookup
            .map(r -> r.status().name().toLowerCase(java.util.Locale.ROOT))
            .orElse("unregistered"));
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

  private static List<Map<String, Object>> replicas(
      CallchainNode node, org.callchain.identity.DeviceAddress self) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (org.callchain.identity.DeviceAddress d : node.ledger().devices()) {
      if (d.equals(self)) {
        continue;
      }
      node.ledger()
          .log(d)
          .ifPresent(
              view -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", d.toHex());
                m.put("size", view.size());
                m.put("root", view.latestCheckpoint().map(c -> c.rootHash().toHex()).orElse(null));
                m.put(
                    "lastUpdateMillis",
                    view.latestCheckpoint().map(Checkpoint::timestampMillis).orElse(null));
                boolean equivocated =
                    node.ledger().equivocations().stream()
                        .anyMatch(e -> e.earlier().device().equals(d));
                m.put("state", equivocated ? "equivocated" : "verified");
                out.add(m);
              });
    }
    return out;
  }
}
