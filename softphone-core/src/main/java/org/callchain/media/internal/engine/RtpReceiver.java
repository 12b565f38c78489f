package org.callchain.media.internal.engine;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;
import org.callchain.media.MediaListener;
import org.callchain.media.internal.dtmf.DtmfReceiver;
import org.callchain.media.internal.rtp.RtpPacket;
import org.callchain.media.internal.rtp.RtpReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive half of a call leg: checks each RTP packet, takes it only from the peer, counts it
 * for RTCP reception reports, feeds audio and RFC 4733 events to the jitter buffer, and reports
 * received digits to the listeners. Packets it refuses are counted by reason. Runs on the session's
 * clock thread, in the receive pass that starts each slot ({@link ChannelPoller}).
 */
final class RtpReceiver {
  // The session's log category, so operators' logger configuration still applies.
  private static final Logger LOG = LoggerFactory.getLogger(RtpMediaSession.class);

  private final Supplier<NegotiatedStream> stream;
  private final RtpPeer peer;
  private final RtcpSession rtcp;
  private final Counters counters;
  private final List<MediaListener> listeners;
  private final DtmfReceiver dtmfReceiver = new DtmfReceiver();
  private final RtpReader rtpReader = new RtpReader();

  /**
   * @param stream the stream in force, null before the first answer and after the end
   * @param listeners told of received digits
   */
  RtpReceiver(
      Supplier<NegotiatedStream> stream,
      RtpPeer peer,
      RtcpSession rtcp,
      Counters counters,
      List<MediaListener> listeners) {
    this.stream = stream;
    this.peer = peer;
    this.rtcp = rtcp;
    this.counters = counters;
    this.listeners = listeners;
  }

  void onRtp(byte[] data, int length, InetSocketAddress from, long arrivalNanos) {
    RtpReader p = rtpReader;
    RtpPacket.Defect defect = p.read(data, length);
    if (defect != null) {
      counters.reject(defect.name());
      return;
    }
    NegotiatedStream s = stream.get();
    if (s == null) {
      counters.reject("BEFORE_NEGOTIATION");
      return;
    }
    if (!peer.accepts(from)) {
      counters.reject("UNKNOWN_SOURCE");
      return;
    }
    if (p.payloadType() == s.codec().format().payloadType()) {
      received(p, s, arrivalNanos, true);
      if (s.description().direction().receives()) {
        // the jitter buffer copies the payload out of the receive buffer: no per-packet array
        s.jitterBuffer()
            .insert(
                p.ssrc(),
                p.sequenceNumber(),
                p.timestamp(),
                data,
                p.payloadOffset(),
                p.payloadLength(),
                arrivalNanos);
      }
    } else if (s.telephoneEvent().isPresent()
        && p.payloadType() == s.telephoneEvent().get().payloadType()) {
      received(p, s, arrivalNanos, false);
      if (s.description().direction().receives()) {
        s.jitterBuffer()
            .insert(p.ssrc(), p.sequenceNumber(), p.timestamp(), null, 0, 0, arrivalNanos);
      }
      for (char digit :
          dtmfReceiver.onPacket(data, p.payloadOffset(), p.payloadLength(), p.timestamp())) {
        for (MediaListener l : listeners) {
          try {
            l.dtmfReceived(digit);
          } catch (RuntimeException e) {
            LOG.warn("media listener failed on DTMF '{}'", digit, e);
          }
        }
      }
    } else {
      counters.reject("UNEXPECTED_PAYLOAD_TYPE");
    }
  }

  /** Counts a packet of the stream, for the statistics and the RTCP reception reports. */
  private void received(RtpReader p, NegotiatedStream s, long arrivalNanos, boolean audio) {
    counters.packetsReceived.increment();
    rtcp.received(
        p.ssrc(),
        p.sequenceNumber(),
        p.timestamp(),
        arrivalNanos,
        s.codec().format().clockRate(),
        audio);
  }
}
