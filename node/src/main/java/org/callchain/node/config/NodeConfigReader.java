package org.callchain.node.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.Multiaddr;
import org.callchain.node.config.NodeConfig.Answer;

/**
 * Reads and validates {@code node.yaml}. Every key is optional and has the default of {@link
 * NodeConfig#defaults}; an unknown key, a value of the wrong type or out of range is refused with
 * one {@link NodeConfigException} that names the key, before anything starts.
 */
public final class NodeConfigReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SIP_URI = Pattern.compile("sips?:[^@\\s]+@[^@\\s]+");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private NodeConfigReader() {}

  public static NodeConfig read(Path file) throws NodeConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new NodeConfigException("", "no config file at " + file);
    } catch (IOException e) {
      throw new NodeConfigException("", "cannot read " + file + ": " + e.getMessage());
    }
    Path home = file.toAbsolutePath().getParent();
    return parse(text, home);
  }

  /** Parses config text whose relative paths are resolved against {@code home}. */
  public static NodeConfig parse(String text, Path home) throws NodeConfigException {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new NodeConfigException("", "not valid YAML: " + e.getOriginalMessage());
    }
    ConfigSection root = ConfigSection.root(tree);
    NodeConfig.Device device = device(root.section("device"));
    NodeConfig.Sip sip = sip(root.section("sip"));
    NodeConfig.Ledger ledger = ledger(root.section("ledger"));
    NodeConfig.Chain chain = chain(root.section("chain"));
    NodeConfig.P2p p2p = p2p(root.section("p2p"));
    NodeConfig.Control control = control(root.section("control"));
    root.rejectUnknown();
    return new NodeConfig(home, device, sip, ledger, chain, p2p, control);
  }

  private static NodeConfig.Device device(ConfigSection s) throws NodeConfigException {
    NodeConfig.Device d = NodeConfig.Device.defaults();
    NodeConfig.Device out =
        new NodeConfig.Device(
            path(s, "keystore", d.keystore()),
            s.optionalString("password-file").map(Path::of),
            s.string("site", d.site()));
    s.rejectUnknown();
    return out;
  }

  private static NodeConfig.Sip sip(ConfigSection s) throws NodeConfigException {
    Optional<String> uri = s.optionalString("uri");
    if (uri.isEmpty()) {
      throw new NodeConfigException(s.key("uri"), "is required, e.g. sip:alice@127.0.0.1:5060");
    }
    if (!SIP_URI.matcher(uri.get()).matches()) {
      throw new NodeConfigException(
          s.key("uri"), "must be sip:USER@HOST[:PORT], not '" + uri.get() + "'");
    }
    NodeConfig.Sip d = NodeConfig.Sip.defaults(uri.get());
    String bind = s.string("bind", d.bind());
    requireIp(s.key("bind"), bind);
    int port = s.integer("port", d.port(), 0, 65535);
    String transport = s.string("transport", d.transport());
    if (!List.of("udp", "tcp", "both").contains(transport)) {
      throw new NodeConfigException(
          s.key("transport"), "must be udp, tcp or both, not '" + transport + "'");
    }
    Answer answer = s.choice("answer", Answer.class, d.answer());
    Duration delay = nonNegative(s, "auto-answer-delay", d.autoAnswerDelay());
    int reject = s.integer("reject-code", d.rejectCode(), 300, 699);
    Duration ring = positive(s, "ring-timeout", d.ringTimeout());
    String codecs = s.string("codecs", d.codecs());
    String rtp = s.string("rtp-ports", d.rtpPortMin() + "-" + d.rtpPortMax());
    int[] range = portRange(s.key("rtp-ports"), rtp);
    String play = s.string("play", d.play());
    boolean recording = s.bool("recording", d.recording());
    Path recordDir = path(s, "record-dir", d.recordDir());
    s.rejectUnknown();
    return new NodeConfig.Sip(
        uri.get(), bind, port, transport, answer, delay, reject, ring, codecs, range[0], range[1],
        play, recording, recordDir);
  }

  private static NodeConfig.Ledger ledger(ConfigSection s) throws NodeConfigException {
    NodeConfig.Ledger d = NodeConfig.Ledger.defaults();
    NodeConfig.Ledger out =
        new NodeConfig.Ledger(
            path(s, "dir", d.dir()),
            s.integer("commit-batch", d.commitBatch(), 1, 100_000),
            positive(s, "commit-max-delay", d.commitMaxDelay()));
    s.rejectUnknown();
    return out;
  }

  private static NodeConfig.Chain chain(ConfigSection s) throws NodeConfigException {
    NodeConfig.Chain d = NodeConfig.Chain.defaults();
    Optional<String> rpc = s.optionalString("rpc-url").filter(t -> !t.equals("none"));
    Optional<URI> rpcUrl = Optional.empty();
    if (rpc.isPresent()) {
      rpcUrl = Optional.of(uri(s.key("rpc-url"), rpc.get()));
    }
    long chainId = s.number("chain-id", d.chainId(), 1, Long.MAX_VALUE);
    Optional<String> registry = address(s, "registry");
    Optional<String> anchor = address(s, "anchor");
    if (rpcUrl.isPresent() && (registry.isEmpty() || anchor.isEmpty())) {
      throw new NodeConfigException(
          s.key(registry.isEmpty() ? "registry" : "anchor"),
          "is required with chain.rpc-url (the contract address on that chain)");
    }
    NodeConfig.Chain out =
        new NodeConfig.Chain(
            rpcUrl,
            chainId,
            registry,
            anchor,
            path(s, "dir", d.dir()),
            s.integer("confirmations", d.confirmations(), 1, 1000),
            s.integer("anchor-every-records", d.anchorEveryRecords(), 1, 1_000_000),
            positive(s, "anchor-every", d.anchorEvery()),
            positive(s, "poll-interval", d.pollInterval()),
            nonNegative(s, "local-block-time", d.localBlockTime()),
            s.choice(
                "unreachable-registry",
                NodeConfig.UnreachableRegistry.class,
                d.unreachableRegistry()),
            s.choice("anchor-mode", NodeConfig.AnchorMode.class, d.anchorMode()),
            positive(s, "anchor-batch-wait", d.anchorBatchWait()));
    s.rejectUnknown();
    return out;
  }

  private static NodeConfig.P2p p2p(ConfigSection s) throws NodeConfigException {
    NodeConfig.P2p d = NodeConfig.P2p.defaults();
    String host = s.string("host", d.host());
    requireIp(s.key("host"), host);
    int port = s.integer("port", d.port(), 0, 65535);
    List<String> bootstrap = s.strings("bootstrap");
    for (String peer : bootstrap) {
      try {
        Multiaddr.parse(peer);
      } catch (InvalidMultiaddrException e) {
        throw new NodeConfigException(
            s.key("bootstrap"), "'" + peer + "' is not a multiaddr: " + e.getMessage());
      }
      if (!peer.contains("/p2p/")) {
        throw new NodeConfigException(
            s.key("bootstrap"), "'" + peer + "' needs the peer id (/p2p/...)");
      }
    }
    String network = s.string("network", d.network());
    if (!network.matches("[A-Za-z0-9._-]+")) {
      throw new NodeConfigException(
          s.key("network"), "must be letters, digits, '.', '_' or '-', not '" + network + "'");
    }
    List<String> auditors = s.strings("auditors");
    for (String a : auditors) {
      if (!ADDRESS.matcher(a).matches()) {
        throw new NodeConfigException(s.key("auditors"), "'" + a + "' is not a 0x address");
      }
    }
    s.rejectUnknown();
    return new NodeConfig.P2p(host, port, bootstrap, network, auditors);
  }

  private static NodeConfig.Control control(ConfigSection s) throws NodeConfigException {
    NodeConfig.Control d = NodeConfig.Control.defaults();
    String host = s.string("host", d.host());
    InetAddress ip = requireIp(s.key("host"), host);
    if (!ip.isLoopbackAddress()) {
      throw new NodeConfigException(
          s.key("host"), "must be a loopback address (the control API has no authentication)");
    }
    int port = s.integer("port", d.port(), 0, 65535);
    s.rejectUnknown();
    return new NodeConfig.Control(host, port);
  }

  private static Path path(ConfigSection s, String name, Path fallback) throws NodeConfigException {
    Optional<String> text = s.optionalString(name);
    try {
      return text.map(Path::of).orElse(fallback);
    } catch (java.nio.file.InvalidPathException e) {
      throw new NodeConfigException(s.key(name), "is not a path: " + e.getMessage());
    }
  }

  private static Optional<String> address(ConfigSection s, String name) throws NodeConfigException {
    Optional<String> text = s.optionalString(name);
    if (text.isPresent() && !ADDRESS.matcher(text.get()).matches()) {
      throw new NodeConfigException(
          s.key(name), "must be a 0x-prefixed 20-byte hex address, not '" + text.get() + "'");
    }
    return text;
  }

  private static URI uri(String key, String text) throws NodeConfigException {
    try {
      URI u = new URI(text);
      String scheme = u.getScheme();
      if (scheme == null || !List.of("http", "https").contains(scheme) || u.getHost() == null) {
        throw new NodeConfigException(key, "must be an http(s) URL or none, not '" + text + "'");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new NodeConfigException(key, "is not a URL: " + e.getMessage());
    }
  }

  private static Duration positive(ConfigSection s, String name, Duration fallback)
      throws NodeConfigException {
    Duration d = s.duration(name, fallback);
    if (d.isZero() || d.isNegative()) {
      throw new NodeConfigException(s.key(name), "must be longer than zero");
    }
    return d;
  }

  private static Duration nonNegative(ConfigSection s, String name, Duration fallback)
      throws NodeConfigException {
    return s.duration(name, fallback);
  }

  private static int[] portRange(String key, String text) throws NodeConfigException {
    String[] parts = text.split("-", 2);
    try {
      if (parts.length == 2) {
        int min = Integer.parseInt(parts[0].strip());
        int max = Integer.parseInt(parts[1].strip());
        if (min >= 1024 && min <= max && max <= 65535) {
          return new int[] {min, max};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new NodeConfigException(key, "must be MIN-MAX within 1024-65535, not '" + text + "'");
  }

  /** An IP literal (no name lookups at start: a node binds to what it is told). */
  private static InetAddress requireIp(String key, String host) throws NodeConfigException {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new NodeConfigException(key, "must be an IP address, not '" + host + "'");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new NodeConfigException(key, "must be an IP address, not '" + host + "'");
    }
  }
}
