package org.callchain.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code callchain status}: a readable account of a running node's {@code GET /status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a running node: registration, peers, log, last anchor, replicas.")
public final class StatusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The node's config; its control port is asked.")
  Path configFile;

  @Option(names = "--json", description = "Print the status document as JSON.")
  boolean json;

  @Override
  public void run() {
    JsonNode s = NodeClient.forConfig(configFile).get("/status");
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(s.toPrettyString());
      out.flush();
      return;
    }
    JsonNode reg = s.path("registration");
    out.println("device        " + s.path("device").asText());
    out.println("sip           " + s.path("sipUri").asText());
    out.println(
        "registration  "
            + reg.path("status").asText()
            + (reg.path("sipIdentity").isTextual() ? " as " + reg.path("sipIdentity").asText() : "")
            + " (registry synced to block "
            + reg.path("syncedBlock").asLong()
            + (reg.path("stale").asBoolean() ? ", stale)" : ")"));
    out.println("peer id       " + s.path("peerId").asText());
    for (JsonNode a : s.path("p2p")) {
      out.println("listening     " + a.asText());
    }
    JsonNode peers = s.path("peers");
    out.println("peers         " + (peers.isEmpty() ? "none" : peers.size()));
    for (JsonNode p : peers) {
      out.println(
          "  "
              + p.path("peerId").asText()
              + " device "
              + p.path("device").asText("?")
              + (p.path("connected").asBoolean() ? " connected" : " disconnected"));
    }
    JsonNode log = s.path("log");
    out.println(
        "log           size "
            + log.path("size").asLong()
            + (log.path("root").isTextual() ? " root " + log.path("root").asText() : "")
            + (log.path("lastCommitMillis").isNumber()
                ? " committed " + Instant.ofEpochMilli(log.path("lastCommitMillis").asLong())
                : ""));
    JsonNode anchor = s.path("lastAnchor");
    out.println(
        "last anchor   "
            + (anchor.isObject()
                ? "size "
                    + anchor.path("size").asLong()
                    + " block "
                    + anchor.path("block").asLong()
                    + " tx "
                    + anchor.path("txHash").asText()
                : "none"));
    JsonNode q = s.path("anchorQueue");
    out.println(
        "anchor queue  "
            + q.path("queued").asLong()
            + " queued, "
            + q.path("inFlight").asLong()
            + " in flight, "
            + q.path("lagRecords").asLong()
            + " records not yet anchored"
            + (q.path("lastError").isTextual()
                ? ", last error: " + q.path("lastError").asText()
                : ""));
    JsonNode replicas = s.path("replicas");
    out.println("replicas      " + (replicas.isEmpty() ? "none" : replicas.size()));
    for (JsonNode r : replicas) {
      out.println(
          "  "
              + r.path("device").asText()
              + " size "
              + r.path("size").asLong()
              + (r.path("root").isTextual() ? " root " + r.path("root").asText() : "")
              + " "
              + r.path("state").asText()
              + ", "
              + r.path("witnesses").asInt()
              + " witnesses");
    }
    JsonNode w = s.path("witnesses");
    out.println(
        "witnessed by  "
            + (w.path("by").isEmpty() ? "nobody yet" : w.path("by").size() + " peers")
            + " at size "
            + w.path("size").asLong());
    out.flush();
  }
}
