package org.callchain.phone.internal.sdp;

import java.util.List;
import java.util.Objects;
import org.callchain.media.MediaDirection;
import org.callchain.media.PayloadFormat;

/**
 * The part of an SDP session description (RFC 4566) a one-stream audio phone uses: the origin,
 * where the first audio stream receives RTP, its formats in preference order, ptime and direction.
 * Other media lines are kept only as their {@code m=} type so that an answer can reject them with
 * port 0 (RFC 3264 §6).
 *
 * @param originUser the {@code o=} user name
 * @param sessionId the {@code o=} session id
 * @param version the {@code o=} session version, incremented by every new offer or answer
 * @param connectionAddress the effective {@code c=} address of the audio stream
 * @param audioPort the audio stream's RTP port; 0 means the stream is rejected or disabled
 * @param formats the audio payload formats in the order of the {@code m=} line
 * @param ptimeMillis the {@code a=ptime}, or 0 when absent
 * @param direction the effective direction of the audio stream
 * @param otherMedia the {@code m=} lines other than the first audio one, as {@code "video 0 RTP/AVP
 *     31"}-style descriptors in order, so an answer can mirror them with port 0
 */
public record AudioSdp(
    String originUser,
    long sessionId,
    long version,
    String connectionAddress,
    int audioPort,
    List<PayloadFormat> formats,
    int ptimeMillis,
    MediaDirection direction,
    List<String> otherMedia) {

  public AudioSdp {
    Objects.requireNonNull(originUser, "originUser");
    Objects.requireNonNull(connectionAddress, "connectionAddress");
    Objects.requireNonNull(direction, "direction");
    formats = List.copyOf(formats);
    otherMedia = List.copyOf(otherMedia);
  }

  /**
   * True when the sender of this description puts the other side on hold: it no longer wants to
   * receive ({@code sendonly} or {@code inactive}), or it uses the legacy {@code c=0.0.0.0} (RFC
   * 3264 §8.4).
   */
  public boolean holds() {
    return !direction.receives() || "0.0.0.0".equals(connectionAddress);
  }
}
