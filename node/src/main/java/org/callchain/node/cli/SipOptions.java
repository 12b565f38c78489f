package org.callchain.node.cli;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.callchain.media.MediaEngine;
import org.callchain.node.admission.IdentitySigner;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.Transport;
import picocli.CommandLine.Option;

/** The SIP options shared by {@code phone} and {@code call}. */
final class SipOptions {
  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "IP address to bind SIP and RTP to and to advertise (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--transport",
      paramLabel = "udp|tcp",
      description = "Listen on this transport only (default: both UDP and TCP).")
  String transport;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "User part of this phone's SIP address (default: ${DEFAULT-VALUE}).",
      defaultValue = "callchain")
  String user;

  @Option(names = "--display-name", paramLabel = "TEXT", description = "Display name in From.")
  String displayName;

  /**
   * The phone configuration both commands start from: these options, the media engine, and, when
   * the command has a device key ({@code ledger} may be null), the ledger sink and the Identity
   * signer.
   */
  PhoneConfig.Builder phoneConfig(
      int sipPort, MediaEngine engine, CallLedgerOptions.CallLedger ledger) {
    PhoneConfig.Builder b =
        PhoneConfig.builder()
            .bindAddress(bind)
            .sipPort(sipPort)
            .transports(transports())
            .user(user)
            .displayName(displayName)
            .mediaEngine(engine);
    if (ledger != null) {
      b.finishedCallSink(ledger.sink);
      // The device key that signs the records also signs every outgoing INVITE (RFC 8224).
      b.outgoingRequestHook(new IdentitySigner(ledger.key, Clock.systemUTC()));
    }
    return b;
  }

  Set<Transport> transports() {
    if (transport == null) {
      return EnumSet.allOf(Transport.class);
    }
    try {
      return EnumSet.of(Transport.parse(transport));
    } catch (IllegalArgumentException e) {
      throw new CliException("--transport must be udp or tcp, not '" + transport + "'", 2);
    }
  }
}
