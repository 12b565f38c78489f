package org.callchain.media;

import java.net.InetSocketAddress;

/**
 * The media of one call leg: its RTP/RTCP sockets, the negotiated stream, DTMF and recording. A
 * session is created before the SDP exchange so that the SDP advertises its real port.
 */
public interface MediaSession extends AutoCloseable {

  /** The address and RTP port this leg receives on (RTCP is on the next port, RFC 3550 §11). */
  InetSocketAddress localRtpAddress();

  /**
   * Starts the stream, or changes it after a re-INVITE (hold and resume change {@link
   * MediaDescription#direction()}).
   */
  void apply(MediaDescription negotiated) throws MediaException;

  /** Sends one DTMF digit (0-9, *, #, A-D) as RFC 4733 telephone-events. */
  void sendDtmf(char digit);

  /** Receives media events (DTMF digits, stream changes) for this leg. */
  void addListener(MediaListener listener);

  /**
   * Mutes or unmutes the local audio: while muted, silence is encoded and sent (the stream keeps
   * its timing, so the peer's jitter buffer and RTCP figures stay meaningful).
   */
  default void setMuted(boolean muted) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot mute");
  }

  /** The current counters of this leg. */
  MediaQuality quality();

  /** Stops sending and receiving, finishes the recording, and releases the sockets. */
  MediaOutcome finish();

  @Override
  default void close() {
    finish();
  }
}
