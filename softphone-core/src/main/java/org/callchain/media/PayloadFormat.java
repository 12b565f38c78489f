package org.callchain.media;

import java.util.Objects;

/**
 * One RTP payload format as an SDP {@code a=rtpmap} (and optional {@code a=fmtp}) line describes
 * it.
 *
 * @param payloadType the RTP payload type, 0..127
 * @param encodingName for example {@code PCMU}, {@code opus}, {@code telephone-event}
 * @param clockRate the RTP clock rate in Hz
 * @param channels the channel count (1 unless the rtpmap says otherwise)
 * @param fmtp the format parameters, or the empty string
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4566#section-6">RFC 4566 §6</a>
 */
public record PayloadFormat(
    int payloadType, String encodingName, int clockRate, int channels, String fmtp) {

  public static final PayloadFormat PCMU = new PayloadFormat(0, "PCMU", 8000, 1, "");
  public static final PayloadFormat PCMA = new PayloadFormat(8, "PCMA", 8000, 1, "");
  public static final PayloadFormat TELEPHONE_EVENT =
      new PayloadFormat(101, "telephone-event", 8000, 1, "0-16");

  /**
   * Opus as RFC 7587 §7 requires it in SDP: always {@code opus/48000/2}, whatever the audio
   * bandwidth and channel count actually used. Callchain sends mono wideband (16 kHz audio).
   */
  public static final PayloadFormat OPUS =
      new PayloadFormat(111, "opus", 48000, 2, "maxplaybackrate=16000;useinbandfec=1");

  /** RFC 4733 events at the Opus RTP clock rate, for sessions that use Opus. */
  public static final PayloadFormat TELEPHONE_EVENT_48K =
      new PayloadFormat(110, "telephone-event", 48000, 1, "0-16");

  public PayloadFormat {
    if (payloadType < 0 || payloadType > 127) {
      throw new IllegalArgumentException("payload type out of range: " + payloadType);
    }
    Objects.requireNonNull(encodingName, "encodingName");
    fmtp = fmtp == null ? "" : fmtp;
  }

  /** True if both name the same encoding at the same clock rate (payload types may differ). */
  public boolean sameEncoding(PayloadFormat other) {
    return encodingName.equalsIgnoreCase(other.encodingName)
        && clockRate == other.clockRate
        && channels == other.channels;
  }

  public boolean isTelephoneEvent() {
    return "telephone-event".equalsIgnoreCase(encodingName);
  }

  /** The value of an {@code a=rtpmap} line, without the attribute name. */
  public String rtpmap() {
    return payloadType
        + " "
        + encodingName
        + "/"
        + clockRate
        + (channels != 1 ? "/" + channels : "");
  }
}
