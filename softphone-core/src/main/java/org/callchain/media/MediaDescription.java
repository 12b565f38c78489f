package org.callchain.media;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an SDP offer/answer exchange for one audio stream, which a {@link MediaSession}
 * applies.
 *
 * @param remoteRtp where the peer receives RTP (from its {@code c=} and {@code m=} lines)
 * @param codec the audio payload format both sides agreed on, in the answer's payload type
 * @param telephoneEvent the RFC 4733 payload format, when both sides support it
 * @param ptimeMillis the packetization time to send with
 * @param direction this side's direction after negotiation
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3264#section-6">RFC 3264 §6</a>
 */
public record MediaDescription(
    InetSocketAddress remoteRtp,
    PayloadFormat codec,
    Optional<PayloadFormat> telephoneEvent,
    int ptimeMillis,
    MediaDirection direction) {

  public MediaDescription {
    Objects.requireNonNull(remoteRtp, "remoteRtp");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(telephoneEvent, "telephoneEvent");
    Objects.requireNonNull(direction, "direction");
    if (ptimeMillis <= 0) {
      throw new IllegalArgumentException("ptime must be positive: " + ptimeMillis);
    }
  }
}
