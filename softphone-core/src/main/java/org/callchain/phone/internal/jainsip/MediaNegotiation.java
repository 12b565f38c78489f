package org.callchain.phone.internal.jainsip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.message.Request;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaException;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.media.MediaSession;
import org.callchain.media.PayloadFormat;
import org.callchain.phone.CallEvent;
import org.callchain.phone.internal.sdp.AudioSdp;
import org.callchain.phone.internal.sdp.OfferAnswer;
import org.callchain.phone.internal.sdp.SdpException;
import org.callchain.phone.internal.sdp.SdpParser;
import org.callchain.phone.internal.sdp.SdpWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offer/answer state of one call (RFC 3264) and the media session it drives: our SDP session id
 * and version (§5, §8), the last SDP from the peer, what was negotiated and applied to the media
 * session, and both hold flags (§8.4: hold is a direction). Every exchange, initial or re-INVITE,
 * goes through here, so a re-INVITE keeps the codec in use.
 *
 * <p>Guarded by the call's lock, which every method takes.
 */
final class MediaNegotiation {
  private static final Logger LOG = LoggerFactory.getLogger(MediaNegotiation.class);

  private final JainSipCall call;
  private final long sdpSessionId = System.currentTimeMillis() / 1000;

  private long sdpVersion = 1;
  private MediaSession media;
  private MediaDescription negotiated;
  private AudioSdp lastRemoteSdp;
  private boolean localHold;
  private boolean remoteHold;
  private boolean offerInOurTwoHundred;

  MediaNegotiation(JainSipCall call) {
    this.call = call;
  }

  /** Takes the call's media session and reports its DTMF digits as call events. */
  void attach(MediaSession session) {
    synchronized (call) {
      media = session;
      session.addListener(digit -> call.phone.fire(new CallEvent.DtmfReceived(call, digit)));
    }
  }

  MediaSession media() {
    synchronized (call) {
      return media;
    }
  }

  Optional<MediaDescription> negotiated() {
    synchronized (call) {
      return Optional.ofNullable(negotiated);
    }
  }

  boolean hasNegotiated() {
    synchronized (call) {
      return negotiated != null;
    }
  }

  /** The peer's RTP address from its last SDP, as {@code host:port}. */
  Optional<String> remoteRtp() {
    synchronized (call) {
      return Optional.ofNullable(lastRemoteSdp)
          .map(s -> s.connectionAddress() + ":" + s.audioPort());
    }
  }

  boolean localHold() {
    synchronized (call) {
      return localHold;
    }
  }

  boolean remoteHold() {
    synchronized (call) {
      return remoteHold;
    }
  }

  /** Sets the hold flag of this side; false when it already had that value. */
  boolean setLocalHold(boolean hold) {
    synchronized (call) {
      if (localHold == hold) {
        return false;
      }
      localHold = hold;
      return true;
    }
  }

  /** Tells listeners both hold flags. */
  void reportHold() {
    synchronized (call) {
      call.phone.fire(new CallEvent.HoldChanged(call, localHold, remoteHold));
    }
  }

  /** A new offer from this side at the current hold state (RFC 3264 §5, §8). */
  AudioSdp newOffer() {
    synchronized (call) {
      return OfferAnswer.offer(
          call.phone.config().bindAddress(),
          media.localRtpAddress().getPort(),
          keepingCurrentCodec(formats()),
          wantedDirection(),
          sdpSessionId,
          ++sdpVersion);
    }
  }

  /** Checks that an offer can be answered (a common codec) without applying anything. */
  void checkOffer(AudioSdp offer) throws SdpException {
    synchronized (call) {
      OfferAnswer.answer(
          offer,
          formats(),
          call.phone.config().bindAddress(),
          media.localRtpAddress().getPort(),
          wantedDirection(),
          sdpSessionId,
          sdpVersion);
    }
  }

  /** Answers a peer's offer and applies it; throws for 488. */
  String answerOffer(AudioSdp offer) throws SdpException, MediaException {
    synchronized (call) {
      OfferAnswer.Answer answer =
          OfferAnswer.answer(
              offer,
              keepingCurrentCodec(formats()),
              call.phone.config().bindAddress(),
              media.localRtpAddress().getPort(),
              wantedDirection(),
              sdpSessionId,
              ++sdpVersion);
      lastRemoteSdp = offer;
      apply(answer.media());
      setRemoteHold(offer.holds());
      return SdpWriter.write(answer.sdp());
    }
  }

  /** Reads the answer to this side's offer and applies it. */
  void acceptAnswer(String body) throws SdpException, MediaException {
    synchronized (call) {
      AudioSdp answer = SdpParser.parse(body);
      lastRemoteSdp = answer;
      apply(OfferAnswer.accept(answer, formats()));
    }
  }

  /** Our offer went in a 2xx (the INVITE had none): the answer comes in the ACK (RFC 3264 §4). */
  void expectAnswerInAck() {
    synchronized (call) {
      offerInOurTwoHundred = true;
    }
  }

  /** Applies the answer an ACK carries, when our 2xx held the offer. */
  void takeAnswerFromAck(Request ack) {
    synchronized (call) {
      String body = SipMessages.sdpBody(ack);
      if (!offerInOurTwoHundred || body == null) {
        return;
      }
      offerInOurTwoHundred = false;
      try {
        acceptAnswer(body);
      } catch (SdpException | MediaException e) {
        LOG.warn("answer in ACK of {} unusable: {}", call.id(), e.getMessage());
      }
    }
  }

  /**
   * Finishes an ended call's media session, if it had one, and returns what it reports. Called
   * outside the call's lock: finishing may flush a recording to disk.
   */
  static MediaOutcome finish(MediaSession session, String callId) {
    if (session == null) {
      return new MediaOutcome("", MediaQuality.NONE, Optional.empty());
    }
    try {
      return session.finish();
    } catch (RuntimeException e) {
      LOG.warn("media session of {} failed to finish", callId, e);
      return new MediaOutcome("", MediaQuality.NONE, Optional.empty());
    }
  }

  private List<PayloadFormat> formats() {
    return call.phone.config().mediaEngine().supportedFormats();
  }

  private MediaDirection wantedDirection() {
    return localHold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
  }

  /**
   * Our preference order with the codec in use moved to the front, so that a re-INVITE (hold,
   * resume, refresh) does not switch codecs mid-call when the peer prefers another one.
   */
  private List<PayloadFormat> keepingCurrentCodec(List<PayloadFormat> preference) {
    if (negotiated == null) {
      return preference;
    }
    List<PayloadFormat> ordered = new ArrayList<>();
    for (PayloadFormat f : preference) {
      if (f.sameEncoding(negotiated.codec())) {
        ordered.add(f);
      }
    }
    for (PayloadFormat f : preference) {
      if (!f.sameEncoding(negotiated.codec())) {
        ordered.add(f);
      }
    }
    return ordered;
  }

  private void apply(MediaDescription description) throws MediaException {
    if (description.equals(negotiated)) {
      return;
    }
    media.apply(description);
    negotiated = description;
    call.phone.fire(new CallEvent.MediaChanged(call, description));
  }

  private void setRemoteHold(boolean held) {
    if (remoteHold != held) {
      remoteHold = held;
      reportHold();
    }
  }
}
