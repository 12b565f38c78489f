package org.callchain.phone.internal.jainsip;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaSession;
import org.callchain.phone.Call;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallListener;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INVITE dialog and its media session: the call's state machine shared by both directions, the
 * user's actions, the ACK and BYE of the dialog (RFC 3261 §13.3.1.4, §15), and the end of the call
 * with its record. The rest lives beside it:
 *
 * <ul>
 *   <li>{@link OutgoingLeg} and {@link IncomingLeg}: the initial INVITE as caller (CANCEL, 401/407,
 *       ring timeout) and as callee (admission, 180, answer);
 *   <li>{@link MediaNegotiation}: RFC 3264 offer/answer, the media session and the hold flags;
 *   <li>{@link SessionModification}: re-INVITEs both ways, glare (RFC 3261 §14);
 *   <li>{@link CallTransfer}: REFER and NOTIFY (RFC 3515);
 *   <li>{@link CallRecordFacts}: what the {@link FinishedCall} record will say.
 * </ul>
 *
 * <p>All mutable state, here and in those parts, is guarded by {@code this}. Events are queued to
 * the phone's event thread while the lock is held, so listeners see them in the order the state
 * changed.
 */
final class JainSipCall implements Call {
  private static final Logger LOG = LoggerFactory.getLogger(JainSipCall.class);

  final JainSipPhone phone;
  private final String id;
  private final CallDirection direction;
  private final String localUri;
  private final String remoteUri;
  private final Optional<String> remoteDisplayName;
  final Transport transport;
  private final List<CallListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<FinishedCall> finished = new CompletableFuture<>();

  final MediaNegotiation negotiation = new MediaNegotiation(this);
  final SessionModification modification = new SessionModification(this, negotiation);
  final CallTransfer transfer = new CallTransfer(this);
  final CallRecordFacts facts;

  // Guarded by this.
  private CallState state;
  Dialog dialog;
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
    this.facts = new CallRecordFacts(this, remoteSipAddress);
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
    return negotiation.negotiated();
  }

  @Override
  public synchronized boolean isLocalHold() {
    return negotiation.localHold();
  }

  @Override
  public synchronized boolean isRemoteHold() {
    return negotiation.remoteHold();
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
    end(CallDisposition.FAILED, facts.finalCode(), "phone shut down");
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
      if (!negotiation.setLocalHold(hold)) {
        return;
      }
      modification.want();
    }
    modification.sendIfIdle();
  }

  @Override
  public void blindTransfer(String targetUri) {
    synchronized (this) {
      requireEstablished("transfer");
      transfer.refer(targetUri);
    }
  }

  @Override
  public void sendDtmf(char digit) {
    MediaSession m;
    synchronized (this) {
      requireEstablished("send DTMF on");
      m = negotiation.media();
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

  // ---- state and end, for the handlers ----

  synchronized void setState(CallState next) {
    CallState previous = state;
    if (previous == next || previous == CallState.ENDED) {
      return;
    }
    state = next;
    phone.fire(new CallEvent.StateChanged(this, previous, next));
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
      facts.ended(code, reason);
      if (outgoing != null) {
        outgoing.stopRingTimer();
      }
      modification.answerWaitingOnEnd();
      m = negotiation.media();
    }
    long endMillis = System.currentTimeMillis();
    Optional<InetSocketAddress> localRtp =
        Optional.ofNullable(m).map(MediaSession::localRtpAddress);
    MediaOutcome outcome = MediaNegotiation.finish(m, id);
    FinishedCall record;
    synchronized (this) {
      record = facts.record(disposition, endMillis, localRtp, negotiation.remoteRtp(), outcome);
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

  // ---- ACK (RFC 3261 §13.2.2.4, §13.3.1.4) ----

  /** ACK for a 2xx to an INVITE (RFC 3261 §13.2.2.4): built by the dialog, sent outside any tx. */
  synchronized void sendAck(Response ok) {
    try {
      long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
      Request ack = dialog.createAck(cseq);
      dialog.sendAck(ack);
    } catch (Exception e) {
      LOG.warn("cannot ACK 2xx for {}: {}", id, e.getMessage());
    }
  }

  /**
   * An ACK in this dialog: confirms an answered call or our 2xx to a re-INVITE, may carry a late
   * answer, and lets a re-INVITE that overtook it be answered.
   */
  void onAck(Request ack) {
    boolean bye;
    synchronized (this) {
      negotiation.takeAnswerFromAck(ack);
      if (state == CallState.CONNECTING) {
        setState(CallState.ESTABLISHED);
      }
      bye = byeAfterAck;
      byeAfterAck = false;
      modification.onAck(ack, !bye);
    }
    if (bye) {
      sendBye();
    } else {
      modification.sendIfIdle();
    }
  }

  // ---- BYE (RFC 3261 §15) ----

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
    end(CallDisposition.ANSWERED, facts.finalCode(), "BYE could not be sent");
  }

  /** The peer hung up (RFC 3261 §15.1.2): 200 to its BYE, then the call ends. */
  void onBye(ServerTransaction st, Request bye) {
    try {
      st.sendResponse(phone.sip().response(Response.OK, bye, null));
    } catch (Exception e) {
      LOG.debug("200 to BYE of {} failed: {}", id, e.getMessage());
    }
    end(CallDisposition.ANSWERED, facts.finalCode(), "remote hangup");
  }

  void onByeResponse(Response response) {
    end(CallDisposition.ANSWERED, facts.finalCode(), "local hangup");
  }

  @Override
  public String toString() {
    return "Call[" + id + " " + direction + " " + remoteUri + " " + state() + "]";
  }
}
