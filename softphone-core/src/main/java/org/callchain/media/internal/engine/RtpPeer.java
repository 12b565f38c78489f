package org.callchain.media.internal.engine;

import java.net.InetSocketAddress;

/**
 * Where a call leg's RTP goes and whose RTP it takes. The signalled address is used until the
 * peer's first packet; from then on, symmetric RTP (RFC 4961): packets go to where the peer's come
 * from, and packets from any other address are refused. Read by the session's clock thread.
 */
final class RtpPeer {
  private volatile InetSocketAddress sendTo;
  private volatile InetSocketAddress latchedFrom;

  /** A new peer address (first answer, or a re-INVITE moved the media): latch afresh. */
  void moveTo(InetSocketAddress signalled) {
    latchedFrom = null;
    sendTo = signalled;
  }

  /** Whether a packet from {@code from} is the peer's; the first one latches its address. */
  boolean accepts(InetSocketAddress from) {
    InetSocketAddress latched = latchedFrom;
    if (latched == null) {
      // Symmetric RTP (RFC 4961): send to where the peer's packets come from.
      latchedFrom = from;
      sendTo = from;
      return true;
    }
    return latched.equals(from);
  }

  /** Where to send now; null before the first answer. */
  InetSocketAddress sendTo() {
    return sendTo;
  }
}
