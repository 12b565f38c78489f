package org.callchain.node.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node needs, read from its one {@code node.yaml} ({@link NodeConfigReader}) and
 * written by {@code callchain init} ({@link NodeConfigWriter}). Relative paths are resolved against
 * {@link #home()}, the config file's directory, so a device directory can be moved as a whole. The
 * defaults and what each key does are in docs/node.md.
 *
 * @param home the directory relative paths are resolved against
 */
public record NodeConfig(
    Path home, Device device, Sip sip, Ledger ledger, Chain chain, P2p p2p, Control control) {

  public NodeConfig {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(sip, "sip");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(p2p, "p2p");
    Objects.requireNonNull(control, "control");
  }

  /** The default configuration of a device whose SIP address is {@code sipUri}. */
  public static NodeConfig defaults(Path home, String sipUri) {
    return new NodeConfig(
        home,
        Device.defaults(),
        Sip.defaults(sipUri),
        Ledger.defaults(),
        Chain.defaults(),
        P2p.defaults(),
        Control.defaults());
  }

  /** {@code path} resolved against {@link #home()}. */
  public Path resolve(Path path) {
    return home.resolve(path);
  }

  /**
   * @param keystore the device's V3 keystore (its key is also its libp2p identity)
   * @param passwordFile file whose first line is the keystore password; empty means the environment
   *     variable {@code CALLCHAIN_KEYSTORE_PASSWORD}
   * @param site the location or site written into every record
   */
  public record Device(Path keystore, Optional<Path> passwordFile, String site) {
    public static Device defaults() {
      return new Device(Path.of("keystore.json"), Optional.empty(), "");
    }
  }

  /** How an incoming call is treated when no admission check refuses it. */
  public enum Answer {
    /** Answer after {@link Sip#autoAnswerDelay()}. */
    AUTO,
    /** Reject with {@link Sip#rejectCode()}. */
    REJECT,
    /** Let it ring until the caller gives up (a desk phone without a user). */
    RING
  }

  /**
   * @param uri this phone's SIP address of record; its user part is the From user, and it is the
   *     SIP identity the registry binds the device to
   * @param bind the IP address SIP and RTP bind to and advertise
   * @param port the SIP port (UDP and TCP)
   * @param transport {@code udp}, {@code tcp} or {@code both}
   * @param answer what happens to a call that passed admission
   * @param autoAnswerDelay how long an auto-answered call rings
   * @param rejectCode the SIP code of {@link Answer#REJECT}
   * @param ringTimeout how long an outgoing call may ring before it is cancelled
   * @param codecs audio codecs in preference order
   * @param rtpPortMin lowest RTP port
   * @param rtpPortMax highest RTP port
   * @param play what the phone sends: {@code silence}, {@code tone:HZ} or a WAV file
   * @param recording whether every call is recorded
   * @param recordDir where recordings go
   */
  public record Sip(
      String uri,
      String bind,
      int port,
      String transport,
      Answer answer,
      Duration autoAnswerDelay,
      int rejectCode,
      Duration ringTimeout,
      String codecs,
      int rtpPortMin,
      int rtpPortMax,
      String play,
      boolean recording,
      Path recordDir) {
    public static Sip defaults(String uri) {
      return new Sip(
          uri,
          "127.0.0.1",
          5060,
          "both",
          Answer.RING,
          Duration.ZERO,
          486,
          Duration.ofSeconds(30),
          "PCMU,PCMA,opus",
          20000,
          29999,
          "silence",
          false,
          Path.of("recordings"));
    }

    /** The user part of {@link #uri()}. */
    public String user() {
      String rest = uri.substring(uri.indexOf(':') + 1);
      int at = rest.indexOf('@');
      return at < 0 ? rest : rest.substring(0, at);
    }
  }

  /**
   * @param dir the RocksDB store of the own log and every replica
   * @param commitBatch commit once this many records are pending (1: every call at once, as a desk
   *     phone does)
   * @param commitMaxDelay ... or once the oldest pending record waited this long
   */
  public record Ledger(Path dir, int commitBatch, Duration commitMaxDelay) {
    public static Ledger defaults() {
      return new Ledger(Path.of("ledger"), 1, Duration.ofMillis(200));
    }
  }

  /** What admission decides when the registry cannot be reached. */
  public enum UnreachableRegistry {
    /** Decide from the last synced registry snapshot; an unknown device is never accepted. */
    LAST_SNAPSHOT,
    /** Refuse every call while the registry view is stale. */
    REJECT
  }

  /**
   * @param rpcUrl JSON-RPC endpoint; empty starts a local Anvil in {@link #dir()}
   * @param chainId the chain id the endpoint must serve
   * @param registry DeviceRegistry address (required with an RPC URL)
   * @param anchor LedgerAnchor address (required with an RPC URL)
   * @param dir anchor queue, registry snapshot and local chain state
   * @param confirmations blocks on top of an anchor before it counts as confirmed
   * @param anchorEveryRecords anchor once this many records were committed since the last anchor
   * @param anchorEvery ... or once this much time passed with at least one new record
   * @param pollInterval how often receipts, blocks and registry events are polled
   * @param localBlockTime block time of the local Anvil
   * @param unreachableRegistry the admission policy while the registry is unreachable
   * @param anchorMode how the node's checkpoints reach the chain (ADR 0093)
   * @param anchorBatchWait in batch mode, how long a due checkpoint waits for the aggregator's
   *     batch before the node anchors it alone
   */
  public record Chain(
      Optional<URI> rpcUrl,
      long chainId,
      Optional<String> registry,
      Optional<String> anchor,
      Path dir,
      int confirmations,
      int anchorEveryRecords,
      Duration anchorEvery,
      Duration pollInterval,
      Duration localBlockTime,
      UnreachableRegistry unreachableRegistry,
      AnchorMode anchorMode,
      Duration anchorBatchWait) {
    public static Chain defaults() {
      return new Chain(
          Optional.empty(),
          31337,
          Optional.empty(),
          Optional.empty(),
          Path.of("chain"),
          2,
          64,
          Duration.ofSeconds(60),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          UnreachableRegistry.LAST_SNAPSHOT,
          AnchorMode.BATCH,
          Duration.ofSeconds(5));
    }
  }

  /** How checkpoints are anchored (ADR 0093). */
  public enum AnchorMode {
    /** Each node sends its own checkpoints with {@code anchor}. */
    SINGLE,
    /**
     * Each commit carries the device's signed anchor statement; the network's aggregator (the
     * connected device with the lowest address) anchors the due statements of every device in one
     * {@code anchorBatch}; a node anchors alone what no batch covered within the batch wait.
     */
    BATCH
  }

  /**
   * @param host the IP address libp2p listens on
   * @param port the libp2p TCP port
   * @param bootstrap peers to dial at start, as {@code /ip4/../tcp/../p2p/..} multiaddrs
   * @param network the network name; the gossipsub topic is derived from it
   * @param auditors addresses of auditor keys allowed to connect without a registration
   */
  public record P2p(
      String host, int port, List<String> bootstrap, String network, List<String> auditors) {
    public P2p {
      bootstrap = List.copyOf(bootstrap);
      auditors = List.copyOf(auditors);
    }

    public static P2p defaults() {
      return new P2p("127.0.0.1", 4001, List.of(), "callchain", List.of());
    }
  }

  /**
   * @param host loopback address of the control and metrics HTTP server
   * @param port its port
   */
  public record Control(String host, int port) {
    public static Control defaults() {
      return new Control("127.0.0.1", 9464);
    }
  }
}
