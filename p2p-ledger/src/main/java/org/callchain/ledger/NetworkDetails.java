package org.callchain.ledger;

import java.util.Objects;

/**
 * Where the call's signalling and media went: local and remote IP addresses (textual, as SDP and
 * Via carry them), SIP and RTP ports (0 if unknown) and the SIP transport.
 */
public record NetworkDetails(
    String localAddress,
    int localSipPort,
    int localRtpPort,
    String remoteAddress,
    int remoteSipPort,
    int remoteRtpPort,
    CallTransport transport) {
  public NetworkDetails {
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(transport, "transport");
    CallRecord.checkText("local address", localAddress);
    CallRecord.checkText("remote address", remoteAddress);
    for (int port : new int[] {localSipPort, localRtpPort, remoteSipPort, remoteRtpPort}) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
  }
}
