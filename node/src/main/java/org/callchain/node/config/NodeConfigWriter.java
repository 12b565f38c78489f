package org.callchain.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes {@code node.yaml} as {@code callchain init} leaves it: every key present, each with a
 * comment saying what it does, so the file documents itself. {@link NodeConfigReader} reads back
 * exactly what was written.
 */
public final class NodeConfigWriter {
  private final StringBuilder out = new StringBuilder();

  private NodeConfigWriter() {}

  /** Writes {@code config} to {@code file}, which must not exist yet. */
  public static void writeNew(NodeConfig config, Path file) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file + " already exists; not overwriting it");
    }
    Files.writeString(
        file,
        text(config),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
  }

  /** The YAML text of {@code config}. */
  public static String text(NodeConfig c) {
    NodeConfigWriter w = new NodeConfigWriter();
    w.line("# Callchain node configuration (docs/node.md). Every key is shown with its value;");
    w.line("# relative paths are resolved against this file's directory.");
    w.section("device", "This device: its key and where it stands.");
    w.key("keystore", "V3 keystore; its key is the device address and libp2p identity.");
    w.value(c.device().keystore().toString());
    w.key(
        "password-file",
        "First line is the keystore password (empty: $CALLCHAIN_KEYSTORE_PASSWORD).");
    w.value(c.device().passwordFile().map(Path::toString).orElse(""));
    w.key("site", "Location or site written into every record.");
    w.value(c.device().site());

    NodeConfig.Sip s = c.sip();
    w.section("sip", "The phone.");
    w.key("uri", "This phone's SIP address; the registry binds the device to it.");
    w.value(s.uri());
    w.key("bind", "IP address SIP and RTP bind to and advertise.");
    w.value(s.bind());
    w.key("port", "SIP port, UDP and TCP.");
    w.plain(Integer.toString(s.port()));
    w.key("transport", "udp, tcp or both.");
    w.value(s.transport());
    w.key("answer", "Calls that pass admission: auto (answer), reject, or ring.");
    w.value(yamlName(s.answer()));
    w.key("auto-answer-delay", "How long a call rings before it is auto-answered.");
    w.value(duration(s.autoAnswerDelay()));
    w.key("reject-code", "SIP code when answer is reject (e.g. 486 busy, 603 decline).");
    w.plain(Integer.toString(s.rejectCode()));
    w.key("ring-timeout", "An outgoing call that rings longer is cancelled.");
    w.value(duration(s.ringTimeout()));
    w.key("codecs", "Audio codecs in preference order.");
    w.value(s.codecs());
    w.key("rtp-ports", "RTP port range MIN-MAX.");
    w.value(s.rtpPortMin() + "-" + s.rtpPortMax());
    w.key("play", "Audio sent: silence, tone:HZ or a WAV file.");
    w.value(s.play());
    w.key("recording", "Record every call as WAV; its SHA-256 goes into the record.");
    w.plain(Boolean.toString(s.recording()));
    w.key("record-dir", "Where recordings are written.");
    w.value(s.recordDir().toString());

    NodeConfig.Ledger l = c.ledger();
    w.section("ledger", "The device's own log and the replicas of its peers' logs.");
    w.key("dir", "RocksDB store.");
    w.value(l.dir().toString());
    w.key("commit-batch", "Commit once this many records wait (1: every call at once).");
    w.plain(Integer.toString(l.commitBatch()));
    w.key("commit-max-delay", "... or once the oldest waiting record is this old.");
    w.value(duration(l.commitMaxDelay()));

    NodeConfig.Chain ch = c.chain();
    w.section("chain", "The registry and anchors on Ethereum.");
    w.key("rpc-url", "JSON-RPC endpoint; none starts a local Anvil (data in dir).");
    w.value(ch.rpcUrl().map(Object::toString).orElse("none"));
    w.key("chain-id", "Chain id the endpoint must serve (31337: Anvil).");
    w.plain(Long.toString(ch.chainId()));
    w.key("registry", "DeviceRegistry address (required with rpc-url).");
    w.value(ch.registry().orElse(""));
    w.key("anchor", "LedgerAnchor address (required with rpc-url).");
    w.value(ch.anchor().orElse(""));
    w.key("dir", "Anchor queue, registry snapshot, local chain state.");
    w.value(ch.dir().toString());
    w.key("confirmations", "Blocks on top of an anchor before it counts as confirmed.");
    w.plain(Integer.toString(ch.confirmations()));
    w.key("anchor-every-records", "Anchor once this many records were committed ...");
    w.plain(Integer.toString(ch.anchorEveryRecords()));
    w.key("anchor-every", "... or this long after the first unanchored record.");
    w.value(duration(ch.anchorEvery()));
    w.key("poll-interval", "How often receipts, blocks and registry events are polled.");
    w.value(duration(ch.pollInterval()));
    w.key("local-block-time", "Block time of the local Anvil (0s: a block per transaction).");
    w.value(duration(ch.localBlockTime()));
    w.key(
        "unreachable-registry",
        "Admission while the chain is unreachable: last-snapshot or reject.");
    w.value(yamlName(ch.unreachableRegistry()));
    w.key(
        "anchor-mode",
        "single (own anchor transactions) or batch (one aggregator anchors all devices).");
    w.value(yamlName(ch.anchorMode()));
    w.key("anchor-batch-wait", "batch: a due checkpoint no batch covered by then goes alone.");
    w.value(duration(ch.anchorBatchWait()));

    NodeConfig.P2p p = c.p2p();
    w.section("p2p", "Replication over libp2p.");
    w.key("host", "IP address libp2p listens on.");
    w.value(p.host());
    w.key("port", "libp2p TCP port.");
    w.plain(Integer.toString(p.port()));
    w.key("bootstrap", "Peers dialled at start: /ip4/HOST/tcp/PORT/p2p/PEER-ID.");
    w.list(p.bootstrap());
    w.key("network", "Network name; the gossipsub topic is derived from it.");
    w.value(p.network());
    w.key("auditors", "Auditor addresses allowed to connect without a registration.");
    w.list(p.auditors());

    w.section("control", "Control API and Prometheus metrics (HTTP, loopback only).");
    w.key("host", "Loopback address.");
    w.value(c.control().host());
    w.key("port", "Port of /status, /calls and /metrics.");
    w.plain(Integer.toString(c.control().port()));
    return w.out.toString();
  }

  /**
   * How an enum constant is spelled in the file: {@code LAST_SNAPSHOT} is {@code last-snapshot}.
   */
  static String yamlName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private void line(String text) {
    out.append(text).append('\n');
  }

  private void section(String name, String comment) {
    out.append('\n').append("# ").append(comment).append('\n').append(name).append(":\n");
  }

  private void key(String name, String comment) {
    out.append("  # ").append(comment).append('\n').append("  ").append(name).append(": ");
  }

  private void value(String text) {
    out.append(quote(text)).append('\n');
  }

  private void plain(String text) {
    out.append(text).append('\n');
  }

  private void list(List<String> items) {
    out.append(
            items.stream().map(NodeConfigWriter::quote).collect(Collectors.joining(", ", "[", "]")))
        .append('\n');
  }

  /** A YAML double-quoted scalar (YAML 1.2 §7.3.1): backslash and quote escaped. */
  private static String quote(String text) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format(Locale.ROOT, "\\x%02x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
