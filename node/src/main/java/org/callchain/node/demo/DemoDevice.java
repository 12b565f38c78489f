package org.callchain.node.demo;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device made by {@code callchain init}: its directory (keystore, {@code node.yaml}, ledger,
 * recordings), the password file that unlocks it, its ports, and what {@code init} printed about it
 * (device address, libp2p peer id).
 */
public record DemoDevice(
    String name,
    Path dir,
    Path passwordFile,
    int sipPort,
    int p2pPort,
    int controlPort,
    String address,
    String peerId) {
  private static final Pattern ADDRESS = Pattern.compile("\\b0x[0-9a-fA-F]{40}\\b");
  private static final Pattern PEER_ID =
      Pattern.compile("\\b(16Uiu2[1-9A-HJ-NP-Za-km-z]{40,}|12D3Koo[1-9A-HJ-NP-Za-km-z]{40,})\\b");

  /** Reads the device address and peer id from {@code init}'s output. */
  static DemoDevice fromInit(
      String name,
      Path dir,
      Path passwordFile,
      int sipPort,
      int p2pPort,
      int controlPort,
      CommandResult init) {
    Matcher a = ADDRESS.matcher(init.output());
    Matcher p = PEER_ID.matcher(init.output());
    if (!a.find() || !p.find()) {
      throw new IllegalStateException(
          "'callchain init' did not print a device address and a peer id:\n" + init.output());
    }
    return new DemoDevice(
        name,
        dir,
        passwordFile,
        sipPort,
        p2pPort,
        controlPort,
        a.group().toLowerCase(Locale.ROOT),
        p.group());
  }

  public String sipUri() {
    return sipUri(name, sipPort);
  }

  static String sipUri(String name, int port) {
    return "sip:" + name + "@127.0.0.1:" + port;
  }

  public Path config() {
    return dir.resolve("node.yaml");
  }

  public Path recordings() {
    return dir.resolve("recordings");
  }

  /** The address peers dial: {@code /ip4/127.0.0.1/tcp/P/p2p/PEER-ID}. */
  public String multiaddr() {
    return "/ip4/127.0.0.1/tcp/" + p2pPort + "/p2p/" + peerId;
  }

  /** The first characters of the address, for a readable account. */
  public String shortAddress() {
    return address.substring(0, 10) + "..";
  }
}
