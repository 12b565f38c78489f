package org.callchain.phone.internal.jainsip;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.media.MediaException;
import org.callchain.phone.CallState;
import org.callchain.phone.internal.sdp.SdpException;
import org.callchain.phone.internal.sdp.SdpParser;
import org.callchain.phone.internal.sdp.SdpWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-INVITEs of an established call in both directions (RFC 3261 §14, "Modifying an Existing
 * Session"): ours for hold and resume (RFC 3264 §8.4) with the 491 glare retry of §14.1, and the
 * peer's, answered from {@link MediaNegotiation}. At most one INVITE transaction of the dialog is
 * in progress at a time (§14.1): ours waits while the peer's waits for its ACK or our 2xx does.
 *
 * <p>Guarded by the call's lock.
 */
final class SessionModification {
  private static final Logger LOG = LoggerFactory.getLogger(SessionModification.class);
  private static final long NO_ACK_AWAITED = -1;

  private final JainSipCall call;
  private final MediaNegotiation negotiation;

  private ClientTransaction reInviteTx;
  private boolean reInviteWanted;
  private boolean glareBackoff;
  private long ackAwaitedCSeq = NO_ACK_AWAITED;
  private ServerTransaction parkedReInviteTx;
  private Request parkedReInvite;

  SessionModification(JainSipCall call, MediaNegotiation negotiation) {
    this.call = call;
    this.negotiation = negotiation;
  }

  // ---- ours: hold and resume ----

  /** Asks for a re-INVITE with the current hold state; {@link #sendIfIdle} sends it. */
  void want() {
    synchronized (call) {
      reInviteWanted = true;
    }
  }

  /**
   * Sends the wanted re-INVITE unless an INVITE transaction is in progress in either direction (RFC
   * 3261 §14.1): ours, the peer's that waits for its ACK (parked), or our 2xx whose ACK has not
   * arrived; nor while the glare back-off runs. Each of those ends by calling this again.
   */
  void sendIfIdle() {
    synchronized (call) {
      if (!reInviteWanted
          || reInviteTx != null
          || glareBackoff
          || ackAwaitedCSeq != NO_ACK_AWAITED
          || parkedReInviteTx != null
          || call.state() != CallState.ESTABLISHED) {
        return;
      }
      reInviteWanted = false;
      SipMessages sip = call.phone.sip();
      try {
        Request reInvite = call.dialog.createRequest(Request.INVITE);
        reInvite.setHeader(sip.contact(call.transport));
        sip.addAgentHeaders(reInvite);
        sip.setSdp(reInvite, SdpWriter.write(negotiation.newOffer()));
        reInviteTx = call.phone.provider().getNewClientTransaction(reInvite);
        call.dialog.sendRequest(reInviteTx);
      } catch (Exception e) {
        reInviteTx = null;
        LOG.warn("cannot send re-INVITE for {}: {}", call.id(), e.getMessage());
      }
    }
  }

  boolean owns(ClientTransaction ct) {
    synchronized (call) {
      return ct != null && ct == reInviteTx;
    }
  }

  /** A response to our re-INVITE, or a timeout as 408. */
  void onResponse(Response response) {
    int code = response.getStatusCode();
    if (code < 200) {
      return;
    }
    boolean retryLater = false;
    boolean terminate = false;
    synchronized (call) {
      reInviteTx = null;
      if (code < 300) {
        call.sendAck(response);
        String body = SipMessages.sdpBody(response);
        try {
          if (body != null) {
            negotiation.acceptAnswer(body);
          }
          negotiation.reportHold();
        } catch (SdpException | MediaException e) {
          LOG.warn("answer to re-INVITE of {} unusable: {}", call.id(), e.getMessage());
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
        negotiation.setLocalHold(!negotiation.localHold());
        negotiation.reportHold();
      }
    }
    if (retryLater) {
      call.phone
          .timers()
          .schedule(
              this::retryAfterGlare,
              GlareBackoff.retryDelayMillis(call.direction(), ThreadLocalRandom.current()),
              TimeUnit.MILLISECONDS);
    } else if (terminate) {
      call.sendBye();
    } else {
      sendIfIdle();
    }
  }

  private void retryAfterGlare() {
    synchronized (call) {
      glareBackoff = false;
    }
    sendIfIdle();
  }

  // ---- the peer's ----

  /** A re-INVITE from the peer: hold, resume, or a session refresh (RFC 3261 §14.2). */
  void onReInvite(ServerTransaction st, Request request) {
    synchronized (call) {
      try {
        if (parkedReInviteTx != null) {
          // RFC 3261 §14.2: a second INVITE while the first has no final response yet.
          Response later = call.phone.sip().response(Response.SERVER_INTERNAL_ERROR, request, null);
          later.setHeader(
              call.phone
                  .sip()
                  .headers
                  .createRetryAfterHeader(ThreadLocalRandom.current().nextInt(11)));
          st.sendResponse(later);
        } else if (ackAwaitedCSeq != NO_ACK_AWAITED) {
          park(st, request);
        } else if (reInviteTx != null || call.state() != CallState.ESTABLISHED) {
          st.sendResponse(call.phone.sip().response(Response.REQUEST_PENDING, request, null));
        } else {
          answer(st, request);
        }
      } catch (Exception e) {
        LOG.warn("re-INVITE of {} failed: {}", call.id(), e.getMessage());
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
    st.sendResponse(call.phone.sip().response(Response.TRYING, request, null));
    parkedReInviteTx = st;
    parkedReInvite = request;
  }

  /** RFC 3261 §15.1.2: a re-INVITE still waiting when the call ends gets 487. */
  void answerWaitingOnEnd() {
    synchronized (call) {
      if (parkedReInviteTx == null) {
        return;
      }
      try {
        parkedReInviteTx.sendResponse(
            call.phone.sip().response(Response.REQUEST_TERMINATED, parkedReInvite, null));
      } catch (Exception e) {
        LOG.debug("487 to the waiting re-INVITE of {} failed: {}", call.id(), e.getMessage());
      }
      parkedReInviteTx = null;
      parkedReInvite = null;
    }
  }

  private void answer(ServerTransaction st, Request request) throws Exception {
    SipMessages sip = call.phone.sip();
    String body = InteropWorkarounds.looksLikeSdp(request) ? SipMessages.sdpBody(request) : null;
    String sdp;
    if (body == null) {
      // No offer: ours goes in the 200, the answer comes in the ACK (RFC 3261 §14.2).
      sdp = SdpWriter.write(negotiation.newOffer());
      negotiation.expectAnswerInAck();
    } else {
      try {
        sdp = negotiation.answerOffer(SdpParser.parse(body));
      } catch (SdpException e) {
        st.sendResponse(sip.response(Response.NOT_ACCEPTABLE_HERE, request, null));
        return;
      }
    }
    Response ok = sip.response(Response.OK, request, null);
    ok.setHeader(sip.contact(call.transport));
    sip.addAllow(ok);
    sip.setSdp(ok, sdp);
    st.sendResponse(ok);
    awaitAckFor(request);
  }

  /**
   * Our 2xx to this INVITE has been sent (under the call's lock, so its ACK cannot be handled
   * before this): the ACK confirms it (RFC 3261 §13.3.1.4).
   */
  void awaitAckFor(Request invite) {
    synchronized (call) {
      ackAwaitedCSeq = SipMessages.cseq(invite);
    }
  }

  /**
   * An ACK in the dialog: it confirms our 2xx, and a re-INVITE that overtook it is answered now,
   * unless {@code answerWaiting} is false because the call is about to end.
   */
  void onAck(Request ack, boolean answerWaiting) {
    synchronized (call) {
      if (ackAwaitedCSeq != NO_ACK_AWAITED && SipMessages.cseq(ack) >= ackAwaitedCSeq) {
        ackAwaitedCSeq = NO_ACK_AWAITED;
      }
      if (!answerWaiting
          || parkedReInviteTx == null
          || ackAwaitedCSeq != NO_ACK_AWAITED
          || call.state() != CallState.ESTABLISHED) {
        return;
      }
      ServerTransaction st = parkedReInviteTx;
      Request request = parkedReInvite;
      parkedReInviteTx = null;
      parkedReInvite = null;
      try {
        answer(st, request);
      } catch (Exception e) {
        LOG.warn("re-INVITE of {} failed: {}", call.id(), e.getMessage());
      }
    }
  }
}
