package org.callchain.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A node's {@code GET /status} answer, with the few reads the demo and the tests need. */
public record ControlStatus(JsonNode json) {

  /** This node's device address, lower case. */
  public String device() {
    return json.path("device").asText().toLowerCase(java.util.Locale.ROOT);
  }

  /** Size of the node's own log. */
  public long logSize() {
    return json.path("log").path("size").asLong(-1);
  }

  /** Root hash of the node's own log, as the node shows it. */
  public String logRoot() {
    return json.path("log").path("root").asText("");
  }

  /** The replica this node holds of {@code device}'s log, if any. */
  public Optional<JsonNode> replica(String device) {
    for (JsonNode r : json.path("replicas")) {
      if (r.path("device").asText().equalsIgnoreCase(device)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** True if the replica of {@code device} has exactly {@code size} leaves with {@code root}. */
  public boolean holds(String device, long size, String root) {
    return replica(device)
        .filter(r -> r.path("size").asLong(-1) == size)
        .filter(r -> r.path("root").asText().equalsIgnoreCase(root))
        .isPresent();
  }

  /** The connected peer with libp2p id {@code peerId}, if any. */
  public Optional<JsonNode> peer(String peerId) {
    for (JsonNode p : json.path("peers")) {
      if (p.path("peerId").asText().equals(peerId)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Messages from peers this node's validator refused since it started (gossip and sync). */
  public long rejectedMessages() {
    return json.path("rejectedMessages").asLong(-1);
  }

  /** Gossipsub RPCs dropped unread because their sender was graylisted. */
  public long graylistedRpcs() {
    return json.path("graylistedRpcs").asLong(-1);
  }

  /** Number of peers this node has a live connection with. */
  public long connectedPeers() {
    long n = 0;
    for (JsonNode p : json.path("peers")) {
      if (p.path("connected").asBoolean(false)) {
        n++;
      }
    }
    return n;
  }

  /** The size of the last anchor the node has confirmed on chain, or -1 without one. */
  public long anchoredSize() {
    JsonNode a = json.path("lastAnchor");
    return a.isObject() ? a.path("size").asLong(-1) : -1;
  }

  public String anchorTransaction() {
    return json.path("lastAnchor").path("txHash").asText("");
  }

  public long anchorBlock() {
    return json.path("lastAnchor").path("block").asLong(-1);
  }

  @Override
  public String toString() {
    return json.toString();
  }
}
