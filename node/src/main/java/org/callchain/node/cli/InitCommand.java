package org.callchain.node.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreException;
import org.callchain.identity.KeystoreStrength;
import org.callchain.identity.PasswordSource;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.NodeKey;
import org.callchain.node.config.NodeConfig;
import org.callchain.node.config.NodeConfigException;
import org.callchain.node.config.NodeConfigReader;
import org.callchain.node.config.NodeConfigWriter;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callchain init}: a new device directory with its keystore ({@code keystore.json}, as
 * {@code keys new --data-dir DIR} makes it) and its {@code node.yaml}, every key written out with
 * its value and a comment. Never overwrites an existing device.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create a device: DIR/keystore.json and DIR/node.yaml for 'callchain node'.")
public final class InitCommand implements Runnable {
  private static final Pattern SIP_URI =
      Pattern.compile("sips?:([^@\\s]+)@([^:;\\s]+)(?::(\\d+))?");

  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Device directory.")
  Path dir;

  @Option(
      names = "--sip-uri",
      required = true,
      paramLabel = "URI",
      description = "This phone's SIP address, e.g. sip:alice@127.0.0.1:5071 (binds HOST:PORT).")
  String sipUri;

  @Option(
      names = "--password-file",
      required = true,
      paramLabel = "F",
      description = "First line is the keystore password; node.yaml refers to this file.")
  Path passwordFile;

  @Option(names = "--p2p-port", paramLabel = "P", description = "libp2p port (default 4001).")
  Integer p2pPort;

  @Option(
      names = "--control-port",
      paramLabel = "P",
      description = "Control and metrics HTTP port (default 9464).")
  Integer controlPort;

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      description = "A peer to dial at start (repeatable).")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--rpc", paramLabel = "URL", description = "Chain JSON-RPC (default: own Anvil).")
  String rpc;

  @Option(names = "--chain-id", paramLabel = "ID", description = "Chain id (default 31337).")
  Long chainId;

  @Option(names = "--registry", paramLabel = "ADDR", description = "DeviceRegistry address.")
  String registry;

  @Option(names = "--anchor", paramLabel = "ADDR", description = "LedgerAnchor address.")
  String anchor;

  @Option(
      names = "--auto-answer",
      paramLabel = "DELAY",
      arity = "0..1",
      fallbackValue = "0s",
      converter = Durations.class,
      description = "Answer every admitted call after DELAY (default: let it ring).")
  Duration autoAnswer;

  @Option(names = "--play", paramLabel = "SOURCE", description = "Audio sent: tone:HZ or a WAV.")
  String play;

  @Option(names = "--record-dir", paramLabel = "DIR", description = "Record every call here.")
  Path recordDir;

  @Option(names = "--commit-batch", paramLabel = "N", description = "Commit every N records.")
  Integer commitBatch;

  @Option(
      names = "--commit-max-delay",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "... or when the oldest waiting record is this old (e.g. 200ms).")
  Duration commitMaxDelay;

  @Option(
      names = "--anchor-every-records",
      paramLabel = "N",
      description = "Anchor once N records were committed (default 64) ...")
  Integer anchorEveryRecords;

  @Option(
      names = "--anchor-every",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "... or this long after the first unanchored record (default 60s).")
  Duration anchorEvery;

  @Option(
      names = "--confirmations",
      paramLabel = "N",
      description = "Blocks on top of an anchor before it counts (default 2).")
  Integer confirmations;

  @Option(
      names = "--anchor-mode",
      paramLabel = "MODE",
      description = "batch (default: one aggregator anchors every device) or single.")
  String anchorMode;

  @Override
  public void run() {
    Path keystore = dir.resolve("keystore.json");
    Path configFile = dir.resolve("node.yaml");
    for (Path p : List.of(keystore, configFile)) {
      if (Files.exists(p)) {
        throw new CliException(p + " already exists; not overwriting a device");
      }
    }
    NodeConfig config = config();
    // Validates exactly as 'callchain node' will read it, before anything is written.
    NodeConfig checked;
    try {
      checked = NodeConfigReader.parse(NodeConfigWriter.text(config), dir.toAbsolutePath());
    } catch (NodeConfigException e) {
      throw new CliException(e.getMessage(), OneLineErrors.USAGE);
    }
    char[] password;
    try {
      password = PasswordSource.file(passwordFile).read();
    } catch (KeystoreException e) {
      throw new CliException(e.getMessage(), e);
    }
    try {
      Files.createDirectories(dir);
      DeviceKey key = DeviceKeystore.create(keystore, password, KeystoreStrength.DEVICE);
      NodeConfigWriter.writeNew(checked, configFile);
      var out = spec.commandLine().getOut();
      out.println("device " + key.address().toHex());
      out.println("sip " + sipUri);
      out.println("peer " + peerId(keystore, password));
      out.println("config " + configFile.toAbsolutePath());
    } catch (KeystoreException e) {
      throw new CliException(e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException("cannot write " + configFile + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  private NodeConfig config() {
    Matcher m = SIP_URI.matcher(sipUri);
    if (!m.matches()) {
      throw new CliException(
          "--sip-uri must be sip:USER@HOST[:PORT], not '" + sipUri + "'", OneLineErrors.USAGE);
    }
    Path home = dir.toAbsolutePath();
    NodeConfig d = NodeConfig.defaults(home, sipUri);
    NodeConfig.Sip s = d.sip();
    int sipPort = m.group(3) == null ? s.port() : Integer.parseInt(m.group(3));
    NodeConfig.Sip sip =
        new NodeConfig.Sip(
            sipUri,
            m.group(2),
            sipPort,
            s.transport(),
            autoAnswer != null ? NodeConfig.Answer.AUTO : s.answer(),
            autoAnswer != null ? autoAnswer : s.autoAnswerDelay(),
            s.rejectCode(),
            s.ringTimeout(),
            s.codecs(),
            s.rtpPortMin(),
            s.rtpPortMax(),
            play != null ? play : s.play(),
            recordDir != null || s.recording(),
            recordDir != null ? recordDir.toAbsolutePath() : s.recordDir());
    NodeConfig.Ledger l = d.ledger();
    NodeConfig.Ledger ledger =
        new NodeConfig.Ledger(
            l.dir(),
            commitBatch != null ? commitBatch : l.commitBatch(),
            commitMaxDelay != null ? commitMaxDelay : l.commitMaxDelay());
    NodeConfig.Chain c = d.chain();
    NodeConfig.Chain chain =
        new NodeConfig.Chain(
            rpcUrl(),
            chainId != null ? chainId : c.chainId(),
            Optional.ofNullable(registry),
            Optional.ofNullable(anchor),
            c.dir(),
            confirmations != null ? confirmations : c.confirmations(),
            anchorEveryRecords != null ? anchorEveryRecords : c.anchorEveryRecords(),
            anchorEvery != null ? anchorEvery : c.anchorEvery(),
            c.pollInterval(),
            c.localBlockTime(),
            c.unreachableRegistry(),
            anchorMode != null ? anchorMode() : c.anchorMode(),
            c.anchorBatchWait());
    NodeConfig.P2p p = d.p2p();
    NodeConfig.P2p p2p =
        new NodeConfig.P2p(
            p.host(), p2pPort != null ? p2pPort : p.port(), bootstrap, p.network(), p.auditors());
    NodeConfig.Control control =
        new NodeConfig.Control(
            d.control().host(), controlPort != null ? controlPort : d.control().port());
    NodeConfig.Device device =
        new NodeConfig.Device(
            Path.of("keystore.json"), Optional.of(passwordFile.toAbsolutePath()), "");
    return new NodeConfig(home, device, sip, ledger, chain, p2p, control);
  }

  private NodeConfig.AnchorMode anchorMode() {
    for (NodeConfig.AnchorMode m : NodeConfig.AnchorMode.values()) {
      if (m.name().equalsIgnoreCase(anchorMode)) {
        return m;
      }
    }
    throw new CliException("--anchor-mode must be batch or single, not '" + anchorMode + "'");
  }

  private Optional<URI> rpcUrl() {
    try {
      return Optional.ofNullable(rpc).map(URI::create);
    } catch (IllegalArgumentException e) {
      throw new CliException("--rpc is not a URL: " + e.getMessage(), OneLineErrors.USAGE);
    }
  }

  /** The libp2p peer id of the new key (the device key is also its network identity). */
  private static String peerId(Path keystore, char[] password) {
    try {
      Credentials c = WalletUtils.loadCredentials(new String(password), keystore.toFile());
      byte[] be = c.getEcKeyPair().getPrivateKey().toByteArray();
      byte[] secret = new byte[32];
      int copy = Math.min(32, be.length);
      System.arraycopy(be, be.length - copy, secret, 32 - copy, copy);
      return NodeKey.fromSecp256k1(secret).peerId().toBase58();
    } catch (IOException | CipherException | InvalidKeyException e) {
      throw new CliException("cannot derive the peer id of " + keystore + ": " + e.getMessage());
    }
  }
}
