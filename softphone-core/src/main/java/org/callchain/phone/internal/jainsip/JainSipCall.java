package org.callchain.phone.internal.jainsip;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaException;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.media.MediaSession;
import org.callchain.media.PayloadFormat;
import org.callchain.phone.Call;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallListener;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Transport;
import org.callchain.phone.internal.sdp.AudioSdp;
import org.callchain.phone.internal.sdp.OfferAnswer;
import org.callchain.phone.internal.sdp.SdpException;
import org.callchain.phone.internal.sdp.SdpParser;
import org.callchain.phone.internal.sdp.SdpWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INVITE dialog and its media session: the call state machine shared by both directions. The
 * direction-specific steps live in {@link OutgoingLeg} (INVITE client transaction, CANCEL, 401/407)
 * and {@link IncomingLeg} (admission, 180, answer); this class holds the confirmed dialog:
 * re-INVITE for hold/resume (RFC 3264 §8.4), BYE, REFER and the record.
 *
 * <p>All mutable state is guarded by {@code this}. Events are queued to the phone's event thread
 * while the lock is held, so listeners see them in the order the state changed.
 */
final class JainSipCall implements Call {
  private static final Logger LOG = LoggerFactory.getLogger(JainSipCall.class);
  private static final long NO_ACK_AWAITED = -1;

  final JainSipPhone phone;
  private final String id;
  private final CallDirection direction;
  private final String localUri;
  private final String remoteUri;
  private final Optional<String> remoteDisplayName;
  final Transport transport;
  private final long startMillis = System.currentTimeMillis();
  private final List<CallListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<FinishedCall> finished = new CompletableFuture<>();
  private final long sdpSessionId = System.currentTimeMillis() / 1000;

  // Guarded by this.
  private long sdpVersion = 1;
  private CallState state;
  Dialog dialog;
  MediaSession media;
  private MediaDescription negotiated;
  private AudioSdp lastRemoteSdp;
  private boolean localHold;
  private boolean remoteHold;
  private ClientTransaction reInviteTx;
  private boolean reInviteWanted;
  private boolean glareBackoff;
  private long ackAwaitedCSeq = NO_ACK_AWAITED;
  private ServerTransaction parkedReInviteTx;
  private Request parkedReInvite;
  private boolean offerInOurTwoHundred;
  private Long answerMillis;
  private int finalCode;
  private String finalReason = "";
  private String remoteSipAddress;
  org.callchain.phone.spi.AdmissionVerdict admissionVerdict;
  private ScheduledFuture<?> ringTimer;
  private ClientTransaction referTx;
  private boolean byeAfterAck;

  /** The direction-specific side of the initial INVITE. */
  OutgoingLeg outgoing;

  IncomingLeg incoming;

  JainSipCall(
      JainSipPhone phone,
      String id,
      CallDirection direction,
      String localUri,
      String remoteUri,
      Optional<String> remoteDisplayName,
      Transport transport,
      String remoteSipAddress,
      CallState initial) {
    this.phone = phone;
    this.id = id;
    this.direction = direction;
    this.localUri = localUri;
    this.remoteUri = remoteUri;
    this.remoteDisplayName = remoteDisplayName;
    this.transport = transport;
    this.remoteSipAddress = remoteSipAddress;
    this.state = initial;
  }

  // ---- Call API ----

  @Override
  public String id() {
    return id;
  }

  @Override
  public CallDirection direction() {
    return direction;
  }

  @Override
  public String remoteUri() {
    return remoteUri;
  }

  @Override
  public Optional<String> remoteDisplayName() {
    return remoteDisplayName;
  }

  @Override
  public String localUri() {
    return localUri;
  }

  @Override
  public synchronized CallState state() {
    return state;
  }

  @Override
  public synchronized Optional<MediaDescription> media() {
    return Optional.ofNullable(negotiated);
  }

  @Override
  public synchronized boolean isLocalHold() {
    return localHold;
  }

  @Override
  public synchronized boolean isRemoteHold() {
    return remoteHold;
  }

  @Override
  public void answer() {
    requireIncoming("answer").answer();
  }

  @Override
  public void reject(int sipCode) {
    if (sipCode < 300 || sipCode > 699) {
      throw new IllegalArgumentException("a rejection needs a 3xx-6xx code, got " + sipCode);
    }
    requireIncoming("reject").reject(sipCode, null);
  }

  private IncomingLeg requireIncoming(String what) {
    if (incoming == null) {
      throw new IllegalStateException("cannot " + what + " an outgoing call");
    }
    return incoming;
  }

  @Override
  public void hangup() {
    CallState s = state();
    switch (s) {
      case CALLING, RINGING -> {
        if (outgoing != null) {
          outgoing.cancel(CallDisposition.CANCELLED);
        }
      }
      case INCOMING -> incoming.reject(Response.DECLINE, null);
      case CONNECTING -> byeWhenAcked();
      case ESTABLISHED -> sendBye();
      case TERMINATING, ENDED -> {
        // Already on its way out.
      }
    }
  }

  /**
   * RFC 3261 §15: the callee must not send BYE before the ACK for its 2xx arrives (or the
   * transaction times out), so a hangup in {@link CallState#CONNECTING} waits for it.
   */
  private void byeWhenAcked() {
    synchronized (this) {
      if (state == CallState.CONNECTING) {
        byeAfterAck = true;
        return;
      }
    }
    sendBye();
  }

  /** Hangs up for shutdown; never throws. */
  void hangupQuietly() {
    try {
      hangup();
    } catch (RuntimeException e) {
      LOG.debug("hangup of {} during shutdown failed", id, e);
      end(CallDisposition.FAILED, 0, "phone shut down");
    }
  }

  /** Ends the call without signalling; used when the stack stops with calls still open. */
  void abandon() {
    end(CallDisposition.FAILED, finalCode, "phone shut down");
  }

  @Override
  public void hold() {
    changeHold(true);
  }

  @Override
  public void resume() {
    changeHold(false);
  }

  private void changeHold(boolean hold) {
    synchronized (this) {
      requireEstablished(hold ? "hold" : "resume");
      if (localHold == hold) {
        return;
      }
      localHold = hold;
      reInviteWanted = true;
    }
    sendReInviteIfIdle();
  }

  @Override
  public void blindTransfer(String targetUri) {
    synchronized (this) {
      requireEstablished("transfer");
      try {
        Request refer = dialog.createRequest(Request.REFER);
        javax.sip.address.Address target = phone.sip().addresses.createAddress(targetUri);
        refer.setHeader(phone.sip().headers.createReferToHeader(target));
        refer.setHeader(phone.sip().contact(transport));
        phone.sip().addAgentHeaders(refer);
        referTx = phone.provider().getNewClientTransaction(refer);
        dialog.sendRequest(referTx);
      } catch (java.text.ParseException e) {
        throw new IllegalArgumentException("not a SIP URI: " + targetUri, e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot send REFER: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void sendDtmf(char digit) {
    MediaSession m;
    synchronized (this) {
      requireEstablished("send DTMF on");
      m = media;
    }
    if ("0123456789*#ABCDabcd".indexOf(digit) < 0) {
      throw new IllegalArgumentException("not a DTMF digit: " + digit);
    }
    m.sendDtmf(Character.toUpperCase(digit));
  }

  @Override
  public CompletableFuture<FinishedCall> finished() {
    return finished;
  }

  @Override
  public void addListener(CallListener listener) {
    listeners.add(listener);
  }

  List<CallListener> listeners() {
    return listeners;
  }

  void complete(FinishedCall record) {
    finished.complete(record);
  }

  private void requireEstablished(String what) {
    if (state != CallState.ESTABLISHED) {
      throw new IllegalStateException("cannot " + what + " a call in state " + state);
    }
  }

  // ---- state, media and record, for the handlers ----

  synchronized void setState(CallState next) {
    CallState previous = state;
    if (previous == next || previous == CallState.ENDED) {
      return;
    }
    state = next;
    phone.fire(new CallEvent.StateChanged(this, previous, next));
  }

  /** Takes the call's media session and reports its DTMF digits as call events. */
  synchronized void attachMedia(MediaSession session) {
    media = session;
    session.addListener(digit -> phone.fire(new CallEvent.DtmfReceived(this, digit)));
  }

  synchronized void markAnswered() {
    if (answerMillis == null) {
      answerMillis = System.currentTimeMillis();
      finalCode = Response.OK;
      finalReason = "OK";
    }
  }

  synchronized void setRemoteSipAddress(String address) {
    if (address != null) {
      remoteSipAddress = address;
    }
  }

  synchronized long nextSdpVersion() {
    return ++sdpVersion;
  }

  long sdpSessionId() {
    return sdpSessionId;
  }

  List<PayloadFormat> formats() {
    return phone.config().mediaEngine().supportedFormats();
  }

  synchronized MediaDirection wantedDirection() {
    return localHold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
  }

  /** A new offer from this side at the current hold state (RFC 3264 §5, §8). */
  synchronized AudioSdp newOffer() {
    return OfferAnswer.offer(
        phone.config().bindAddress(),
        media.localRtpAddress().getPort(),
        keepingCurrentCodec(formats()),
        wantedDirection(),
        sdpSessionId,
        nextSdpVersion());
  }

  /** Checks that an offer can be answered (a common codec) without applying anything. */
  synchronized void checkOffer(AudioSdp offer) throws SdpException {
    OfferAnswer.answer(
        offer,
        formats(),
        phone.config().bindAddress(),
        media.localRtpAddress().getPort(),
        wantedDirection(),
        sdpSessionId,
        sdpVersion);
  }

  /** Answers a peer's offer and applies it; throws for 488. */
  synchronized String answerOffer(AudioSdp offer) throws SdpException, MediaException {
    OfferAnswer.Answer answer =
        OfferAnswer.answer(
            offer,
            keepingCurrentCodec(formats()),
            phone.config().bindAddress(),
            media.localRtpAddress().getPort(),
            wantedDirection(),
            sdpSessionId,
            nextSdpVersion());
    lastRemoteSdp = offer;
    applyMedia(answer.media());
    setRemoteHold(offer.holds());
    return SdpWriter.write(answer.sdp());
  }

  /**
   * Our preference order with the codec in use moved to the front, so that a re-INVITE (hold,
   * resume, refresh) does not switch codecs mid-call when the peer prefers another one.
   */
  private List<PayloadFormat> keepingCurrentCodec(List<PayloadFormat> preference) {
    if (negotiated == null) {
      return preference;
    }
    List<PayloadFormat> ordered = new java.util.ArrayList<>();
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

  /** Reads the answer to this side's offer and applies it. */
  synchronized void acceptAnswer(String body) throws SdpException, MediaException {
    AudioSdp answer = SdpParser.parse(body);
    lastRemoteSdp = answer;
    applyMedia(OfferAnswer.accept(answer, formats()));
  }

  synchronized boolean hasNegotiated() {
    return negotiated != null;
  }

  private void applyMedia(MediaDescription description) throws MediaException {
    if (description.equals(negotiated)) {
      return;
    }
    media.apply(description);
    negotiated = description;
    phone.fire(new CallEvent.MediaChanged(this, description));
  }

  private void setRemoteHold(boolean held) {
    if (remoteHold != held) {
      remoteHold = held;
      phone.fire(new CallEvent.HoldChanged(this, localHold, remoteHold));
    }
  }

  synchronized void startRingTimer(long millis) {
    ringTimer =
        phone
            .timers()
            .schedule(
                () -> {
                  if (outgoing != null) {
                    outgoing.cancel(CallDisposition.NO_ANSWER);
                  }
                },
                millis,
                TimeUnit.MILLISECONDS);
  }

  synchronized void stopRingTimer() {
    if (ringTimer != null) {
      ringTimer.cancel(false);
      ringTimer = null;
    }
  }

  /**
   * Ends the call once: finishes the media session, builds the record, tells the phone. The media
   * session is finished outside the lock because it may flush a recording to disk.
   */
  void end(CallDisposition disposition, int code, String reason) {
    CallState previous;
    MediaSession m;
    synchronized (this) {
      if (state == CallState.ENDED) {
        return;
      }
      previous = state;
      state = CallState.ENDED;
      if (answerMillis == null) {
        finalCode = code;
        finalReason = reason == null ? "" : reason;
      }
      stopRingTimer();
      answerParkedReInvite(Response.REQUEST_TERMINATED);
      m = media;
    }
    long endMillis = System.currentTimeMillis();
    InetSocketAddress localRtp = m == null ? null : m.localRtpAddress();
    MediaOutcome outcome = new MediaOutcome("", MediaQuality.NONE, Optional.empty());
    if (m != null) {
      try {
        outcome = m.finish();
      } catch (RuntimeException e) {
        LOG.warn("media session of {} failed to finish", id, e);
      }
    }
    FinishedCall record;
    synchronized (this) {
      record =
          new FinishedCall(
              id,
              dialog != null && dialog.getLocalTag() != null ? dialog.getLocalTag() : localTag(),
              dialog != null && dialog.getRemoteTag() != null ? dialog.getRemoteTag() : "",
              direction == CallDirection.OUTGOING ? localUri : remoteUri,
              direction == CallDirection.OUTGOING ? remoteUri : localUri,
              direction,
              startMillis,
              Optional.ofNullable(answerMillis),
              endMillis,
              answerMillis != null ? CallDisposition.ANSWERED : disposition,
              finalCode,
              finalReason,
              transport,
              phone.hostPort(),
              remoteSipAddress == null ? "" : remoteSipAddress,
              Optional.ofNullable(localRtp)
                  .map(
                      a ->
                          (a.getAddress() != null
                                  ? a.getAddress().getHostAddress()
                                  : a.getHostString())
                              + ":"
                              + a.getPort()),
              Optional.ofNullable(lastRemoteSdp)
                  .map(s -> s.connectionAddress() + ":" + s.audioPort()),
              Optional.ofNullable(admissionVerdict),
              outcome);
      phone.fire(new CallEvent.StateChanged(this, previous, CallState.ENDED));
    }
    LOG.debug(
        "call {} {} ended: {} {} {}",
        id,
        direction,
        record.disposition(),
        record.finalSipCode(),
        record.finalReason());
    phone.ended(this, record);
  }

  private String localTag() {
    if (outgoing != null) {
      return outgoing.fromTag;
    }
    return incoming != null ? incoming.toTag : "";
  }

  // ---- BYE ----

  /** Sends BYE (RFC 3261 §15.1.1); the call ends on its response or timeout. */
  void sendBye() {
    synchronized (this) {
      if (state == CallState.TERMINATING || state == CallState.ENDED || dialog == null) {
        return;
      }
      setState(CallState.TERMINATING);
      try {
        Request bye = dialog.createRequest(Request.BYE);
        phone.sip().addAgentHeaders(bye);
        ClientTransaction ct = phone.provider().getNewClientTransaction(bye);
        dialog.sendRequest(ct);
        return;
      } catch (Exception e) {
        LOG.warn("cannot send BYE for {}: {}", id, e.getMessage());
      }
    }
    end(CallDisposition.ANSWERED, finalCode, "BYE could not be sent");
  }

  /** The peer hung up (RFC 3261 §15.1.2): 200 to its BYE, then the call ends. */
  void onBye(ServerTransaction st, Request bye) {
    try {
      st.sendResponse(phone.sip().response(Response.OK, bye, null));
    } catch (Exception e) {
      LOG.debug("200 to BYE of {} failed: {}", id, e.getMessage());
    }
    end(CallDisposition.ANSWERED, finalCode, "remote hangup");
  }

  void onByeResponse(Response response) {
    end(CallDisposition.ANSWERED, finalCode, "local hangup");
  }

  // ---- re-INVITE: hold and resume (RFC 3261 §14, RFC 3264 §8.4) ----

  /**
   * Sends the wanted re-INVITE unless an INVITE transaction is in progress in either direction (RFC
   * 3261 §14.1): ours, the peer's that waits for its ACK (parked), or our 2xx whose ACK has not
   * arrived; nor while the glare back-off runs. Each of those ends by calling this again.
   */
  private void sendReInviteIfIdle() {
    synchronized (this) {
      if (!reInviteWanted
          || reInviteTx != null
          || glareBackoff
          || ackAwaitedCSeq != NO_ACK_AWAITED
          || parkedReInviteTx != null
          || state != CallState.ESTABLISHED) {
        return;
      }
      reInviteWanted = false;
      try {
        Request reInvite = dialog.createRequest(Request.INVITE);
        reInvite.setHeader(phone.sip().contact(transport));
        phone.sip().addAgentHeaders(reInvite);
        phone.sip().setSdp(reInvite, SdpWriter.write(newOffer()));
        reInviteTx = phone.provider().getNewClientTransaction(reInvite);
        dialog.sendRequest(reInviteTx);
      } catch (Exception e) {
        reInviteTx = null;
        LOG.warn("cannot send re-INVITE for {}: {}", id, e.getMessage());
      }
    }
  }

  boolean isReInvite(ClientTransaction ct) {
    synchronized (this) {
      return ct != null && ct == reInviteTx;
    }
  }

  void onReInviteResponse(Response response) {
    int code = response.getStatusCode();
    if (code < 200) {
      return;
    }
    boolean retryLater = false;
    boolean terminate = false;
    synchronized (this) {
      reInviteTx = null;
      if (code < 300) {
        sendAck(response);
        String body = SipMessages.sdpBody(response);
        try {
          if (body != null) {
            acceptAnswer(body);
          }
          phone.fire(new CallEvent.HoldChanged(this, localHold, remoteHold));
        } catch (SdpException | MediaException e) {
          LOG.warn("answer to re-INVITE of {} unusable: {}", id, e.getMessage());
        }
      } else if (code == Response.REQUEST_PENDING) {
        // RFC 3261 §14.1: glare; retry after the back-off of our side of the Call-ID.
        reInviteWanted = true;
        glareBackoff = true;
        retryLater = true;
      } else if (code == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST
          || code == Response.REQUEST_TIMEOUT) {
        terminate = true; // RFC 3261 §14.1: the dialog is gone.
      } else {
        // RFC 3261 §14.1: any other failure leaves the session as it was.
        localHold = !localHold;
        phone.fire(new CallEvent.HoldChanged(this, localHold, remoteHold));
      }
    }
    if (retryLater) {
      phone
          .timers()
          .schedule(
              this::retryAfterGlare,
              GlareBackoff.retryDelayMillis(direction, ThreadLocalRandom.current()),
              TimeUnit.MILLISECONDS);
    } else if (terminate) {
      sendBye();
    } else {
      sendReInviteIfIdle();
    }
  }

  private void retryAfterGlare() {
    synchronized (this) {
      glareBackoff = false;
    }
    sendReInviteIfIdle();
  }

  /** ACK for a 2xx to an INVITE (RFC 3261 §13.2.2.4): built by the dialog, sent outside any tx. */
  synchronized void sendAck(Response ok) {
    try {
      long cseq = ((javax.sip.header.CSeqHeader) ok.getHeader("CSeq")).getSeqNumber();
      Request ack = dialog.createAck(cseq);
      dialog.sendAck(ack);
    } catch (Exception e) {
      LOG.warn("cannot ACK 2xx for {}: {}", id, e.getMessage());
    }
  }

  /** A re-INVITE from the peer: hold, resume, or a session refresh (RFC 3261 §14.2). */
  void onReInvite(ServerTransaction st, Request request) {
    synchronized (this) {
      try {
        if (parkedReInviteTx != null) {
          // RFC 3261 §14.2: a second INVITE while the first has no final response yet.
          Response later = phone.sip().response(Response.SERVER_INTERNAL_ERROR, request, null);
          later.setHeader(
              phone.sip().headers.createRetryAfterHeader(ThreadLocalRandom.current().nextInt(11)));
          st.sendResponse(later);
        } else if (ackAwaitedCSeq != NO_ACK_AWAITED) {
          park(st, request);
        } else if (reInviteTx != null || state != CallState.ESTABLISHED) {
          st.sendResponse(phone.sip().response(Response.REQUEST_PENDING, request, null));
        } else {
          answerReInvite(st, request);
        }
      } catch (Exception e) {
        LOG.warn("re-INVITE of {} failed: {}", id, e.getMessage());
      }
    }
  }

  /**
   * The peer sent this re-INVITE after our 2xx, so its ACK is on the way but has not been processed
   * yet: UDP and the stack's worker threads may reorder the two (RFC 3261 §13.3.1.4 has the UAS
   * wait for that ACK; RFC 5407 §3.1.4 is the race). Any final response now would be wrong:
   * JAIN-SIP matches an ACK for a 2xx against the last final response sent on the dialog ({@code
   * SIPDialog.handleAck}), so a 491 here made it drop the ACK silently and left the call
   * unconfirmed until the dialog timed out. The re-INVITE waits, quenched with 100 Trying
   * (§17.2.1), and is answered when the ACK arrives ({@link #onAck}).
   */
  private void park(ServerTransaction st, Request request) throws Exception {
    st.sendResponse(phone.sip().response(Response.TRYING, request, null));
    parkedReInviteTx = st;
    parkedReInvite = request;
  }

  /** RFC 3261 §15.1.2: a request still pending when the call ends gets 487. */
  private void answerParkedReInvite(int code) {
    if (parkedReInviteTx == null) {
      return;
    }
    try {
      parkedReInviteTx.sendResponse(phone.sip().response(code, parkedReInvite, null));
    } catch (Exception e) {
      LOG.debug("{} to the waiting re-INVITE of {} failed: {}", code, id, e.getMessage());
    }
    parkedReInviteTx = null;
    parkedReInvite = null;
  }

  private void answerReInvite(ServerTransaction st, Request request) throws Exception {
    String body = InteropWorkarounds.looksLikeSdp(request) ? SipMessages.sdpBody(request) : null;
    String sdp;
    if (body == null) {
      // No offer: ours goes in the 200, the answer comes in the ACK (RFC 3261 §14.2).
      sdp = SdpWriter.write(newOffer());
      offerInOurTwoHundred = true;
    } else {
      try {
        sdp = answerOffer(SdpParser.parse(body));
      } catch (SdpException e) {
        st.sendResponse(phone.sip().response(Response.NOT_ACCEPTABLE_HERE, request, null));
        return;
      }
    }
    Response ok = phone.sip().response(Response.OK, request, null);
    ok.setHeader(phone.sip().contact(transport));
    phone.sip().addAllow(ok);
    phone.sip().setSdp(ok, sdp);
    st.sendResponse(ok);
    awaitAckFor(request);
  }

  /**
   * Our 2xx to this INVITE has been sent (under this call's lock, so its ACK cannot be handled
   * before this): the ACK confirms it (RFC 3261 §13.3.1.4).
   */
  synchronized void awaitAckFor(Request invite) {
    ackAwaitedCSeq = SipMessages.cseq(invite);
  }

  /**
   * An ACK in this dialog: confirms an answered call or our 2xx to a re-INVITE, may carry a late
   * answer, and lets a re-INVITE that overtook it be answered.
   */
  void onAck(Request ack) {
    boolean bye;
    synchronized (this) {
      if (ackAwaitedCSeq != NO_ACK_AWAITED && SipMessages.cseq(ack) >= ackAwaitedCSeq) {
        ackAwaitedCSeq = NO_ACK_AWAITED;
      }
      String body = SipMessages.sdpBody(ack);
      if (offerInOurTwoHundred && body != null) {
        offerInOurTwoHundred = false;
        try {
          acceptAnswer(body);
        } catch (SdpException | MediaException e) {
          LOG.warn("answer in ACK of {} unusable: {}", id, e.getMessage());
        }
      }
      if (state == CallState.CONNECTING) {
        setState(CallState.ESTABLISHED);
      }
      bye = byeAfterAck;
      byeAfterAck = false;
      if (!bye
          && parkedReInviteTx != null
          && ackAwaitedCSeq == NO_ACK_AWAITED
          && state == CallState.ESTABLISHED) {
        ServerTransaction st = parkedReInviteTx;
        Request request = parkedReInvite;
        parkedReInviteTx = null;
        parkedReInvite = null;
        try {
          answerReInvite(st, request);
        } catch (Exception e) {
          LOG.warn("re-INVITE of {} failed: {}", id, e.getMessage());
        }
      }
    }
    if (bye) {
      sendBye();
    } else {
      sendReInviteIfIdle();
    }
  }

  synchronized void expectAnswerInAck() {
    offerInOurTwoHundred = true;
  }

  // ---- REFER and NOTIFY, the transferor's side (RFC 3515 §2.4) ----

  boolean isRefer(ClientTransaction ct) {
    synchronized (this) {
      return ct != null && ct == referTx;
    }
  }

  void onReferResponse(Response response) {
    int code = response.getStatusCode();
    if (code >= 200) {
      phone.fire(
          new CallEvent.TransferProgress(this, code, response.getReasonPhrase(), code >= 300));
    }
  }

  /** A NOTIFY with the progress of the transfer this side asked for. */
  void onNotify(ServerTransaction st, Request notify) {
    try {
      st.sendResponse(phone.sip().response(Response.OK, notify, null));
    } catch (Exception e) {
      LOG.debug("200 to NOTIFY of {} failed: {}", id, e.getMessage());
    }
    String[] status = InteropWorkarounds.sipfragStatus(SipMessages.sdpBody(notify));
    if (status == null) {
      return;
    }
    int code = Integer.parseInt(status[0]);
    javax.sip.header.SubscriptionStateHeader sub =
        (javax.sip.header.SubscriptionStateHeader) notify.getHeader("Subscription-State");
    boolean terminated = sub != null && "terminated".equalsIgnoreCase(sub.getState());
    boolean finalStatus = code >= 200;
    phone.fire(new CallEvent.TransferProgress(this, code, status[1], terminated || finalStatus));
    if (finalStatus && code < 300) {
      // RFC 5589 §6.1: the transfer succeeded; the transferor leaves the call.
      sendBye();
    }
  }

  /**
   * The transferee's NOTIFY about the call it placed for a REFER (RFC 3515 §2.4.4, §2.4.5): the new
   * call's status line as message/sipfrag; a final status terminates the subscription.
   */
  synchronized void sendReferNotify(int code, String reason, boolean terminated) {
    if (state == CallState.ENDED || dialog == null) {
      return;
    }
    try {
      javax.sip.header.HeaderFactory h = phone.sip().headers;
      Request notify = dialog.createRequest(Request.NOTIFY);
      notify.setHeader(h.createEventHeader("refer"));
      javax.sip.header.SubscriptionStateHeader sub =
          h.createSubscriptionStateHeader(
              terminated
                  ? javax.sip.header.SubscriptionStateHeader.TERMINATED
                  : javax.sip.header.SubscriptionStateHeader.ACTIVE);
      if (terminated) {
        sub.setReasonCode("noresource");
      } else {
        sub.setExpires(60);
      }
      notify.setHeader(sub);
      notify.setHeader(phone.sip().contact(transport));
      phone.sip().addAgentHeaders(notify);
      javax.sip.header.ContentTypeHeader type = h.createContentTypeHeader("message", "sipfrag");
      type.setParameter("version", "2.0");
      notify.setContent("SIP/2.0 " + code + " " + reason + "\r\n", type);
      ClientTransaction ct = phone.provider().getNewClientTransaction(notify);
      dialog.sendRequest(ct);
    } catch (Exception e) {
      LOG.info("call {}: NOTIFY {} not sent: {}", id, code, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "Call[" + id + " " + direction + " " + remoteUri + " " + state() + "]";
  }
}
