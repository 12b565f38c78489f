package org.callchain.phone.internal.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.PayloadFormat;

/**
 * The RFC 3264 offer/answer model for one audio stream: what to offer, how to answer an offer, and
 * what a received answer means for the local media session.
 *
 * <p>Codec choice follows the answerer's preference order (RFC 3264 §6.1 allows it) and reuses the
 * offerer's payload type numbers for dynamic formats, so both sides send the same numbers.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3264">RFC 3264</a>
 */
public final class OfferAnswer {
  /** The packetization time used when the peer asks for none (RFC 3551 §4.5: 20 ms default). */
  public static final int DEFAULT_PTIME_MILLIS = 20;

  private OfferAnswer() {}

  /** An answer to send and the description the local media session applies. */
  public record Answer(AudioSdp sdp, MediaDescription media) {}

  /** Builds an offer of every supported format in preference order (RFC 3264 §5). */
  public static AudioSdp offer(
      String address,
      int port,
      List<PayloadFormat> supported,
      MediaDirection direction,
      long sessionId,
      long version) {
    return new AudioSdp(
        "-",
        sessionId,
        version,
        address,
        port,
        supported,
        DEFAULT_PTIME_MILLIS,
        direction,
        List.of());
  }

  /**
   * Answers {@code offer} (RFC 3264 §6.1).
   *
   * @param wanted the direction this side wants ({@code sendonly} while it holds the call)
   * @throws SdpException with {@link SdpException#noCommonCodec()} when no audio format matches or
   *     the audio stream was offered with port 0 (the caller answers 488)
   */
  public static Answer answer(
      AudioSdp offer,
      List<PayloadFormat> supported,
      String address,
      int port,
      MediaDirection wanted,
      long sessionId,
      long version)
      throws SdpException {
    if (offer.audioPort() == 0) {
      throw SdpException.noCommonCodec("the audio stream of the offer is disabled (port 0)");
    }
    List<PayloadFormat> chosen = new ArrayList<>();
    List<PayloadFormat> events = new ArrayList<>();
    for (PayloadFormat mine : supported) {
      for (PayloadFormat theirs : offer.formats()) {
        if (mine.sameEncoding(theirs)) {
          PayloadFormat f =
              new PayloadFormat(
                  theirs.payloadType(),
                  mine.encodingName(),
                  mine.clockRate(),
                  mine.channels(),
                  mine.isTelephoneEvent() ? theirs.fmtp() : mine.fmtp());
          (mine.isTelephoneEvent() ? events : chosen).add(f);
          break;
        }
      }
    }
    if (chosen.isEmpty()) {
      throw SdpException.noCommonCodec(
          "no common audio codec; offered "
              + names(offer.formats())
              + ", have "
              + names(supported));
    }
    PayloadFormat telephoneEvent = eventsFor(chosen.get(0), events);
    List<PayloadFormat> answerFormats = new ArrayList<>(chosen);
    answerFormats.addAll(events);
    MediaDirection direction = intersect(wanted, effectiveDirection(offer).answerTo());
    AudioSdp sdp =
        new AudioSdp(
            "-",
            sessionId,
            version,
            address,
            port,
            answerFormats,
            DEFAULT_PTIME_MILLIS,
            direction,
            offer.otherMedia());
    MediaDescription media =
        new MediaDescription(
            new InetSocketAddress(offer.connectionAddress(), offer.audioPort()),
            chosen.get(0),
            Optional.ofNullable(telephoneEvent),
            offer.ptimeMillis() > 0 ? offer.ptimeMillis() : DEFAULT_PTIME_MILLIS,
            direction);
    return new Answer(sdp, media);
  }

  /**
   * Reads the answer to an offer this side sent (RFC 3264 §7): the first answered format this side
   * supports is the codec, in the answer's payload type.
   */
  public static MediaDescription accept(AudioSdp answer, List<PayloadFormat> supported)
      throws SdpException {
    if (answer.audioPort() == 0) {
      throw SdpException.noCommonCodec("the answer rejected the audio stream (port 0)");
    }
    PayloadFormat codec = null;
    List<PayloadFormat> events = new ArrayList<>();
    for (PayloadFormat theirs : answer.formats()) {
      for (PayloadFormat mine : supported) {
        if (mine.sameEncoding(theirs)) {
          if (theirs.isTelephoneEvent()) {
            events.add(theirs);
          } else if (codec == null) {
            codec = theirs;
          }
          break;
        }
      }
    }
    if (codec == null) {
      throw SdpException.noCommonCodec(
          "the answer holds no offered audio codec: " + names(answer.formats()));
    }
    PayloadFormat telephoneEvent = eventsFor(codec, events);
    return new MediaDescription(
        new InetSocketAddress(answer.connectionAddress(), answer.audioPort()),
        codec,
        Optional.ofNullable(telephoneEvent),
        answer.ptimeMillis() > 0 ? answer.ptimeMillis() : DEFAULT_PTIME_MILLIS,
        effectiveDirection(answer).answerTo());
  }

  /**
   * RFC 4733 §2.1: telephone-events share the RTP clock of the audio they go with, so the one at
   * the codec's clock rate wins (8000 for G.711, 48000 for Opus); else the first.
   */
  private static PayloadFormat eventsFor(PayloadFormat codec, List<PayloadFormat> events) {
    for (PayloadFormat e : events) {
      if (e.clockRate() == codec.clockRate()) {
        return e;
      }
    }
    return events.isEmpty() ? null : events.get(0);
  }

  /**
   * The direction a description means, reading the legacy hold {@code c=0.0.0.0} (RFC 3264 §8.4,
   * RFC 2543) as "do not send to me".
   */
  static MediaDirection effectiveDirection(AudioSdp sdp) {
    if ("0.0.0.0".equals(sdp.connectionAddress())) {
      return sdp.direction().sends() ? MediaDirection.SENDONLY : MediaDirection.INACTIVE;
    }
    return sdp.direction();
  }

  /** The direction allowed by both: sends only if both send, receives only if both receive. */
  static MediaDirection intersect(MediaDirection a, MediaDirection b) {
    boolean sends = a.sends() && b.sends();
    boolean receives = a.receives() && b.receives();
    if (sends && receives) {
      return MediaDirection.SENDRECV;
    }
    if (sends) {
      return MediaDirection.SENDONLY;
    }
    return receives ? MediaDirection.RECVONLY : MediaDirection.INACTIVE;
  }

  private static String names(List<PayloadFormat> formats) {
    List<String> n = new ArrayList<>();
    for (PayloadFormat f : formats) {
      n.add(f.encodingName() + "/" + f.clockRate());
    }
    return String.join(", ", n);
  }
}
