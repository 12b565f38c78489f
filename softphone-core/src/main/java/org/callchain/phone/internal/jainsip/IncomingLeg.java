package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.RequestEventExt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaException;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.Transport;
import org.callchain.phone.internal.sdp.AudioSdp;
import org.callchain.phone.internal.sdp.SdpException;
import org.callchain.phone.internal.sdp.SdpParser;
import org.callchain.phone.internal.sdp.SdpWriter;
import org.callchain.phone.spi.AdmissionVerdict;
import org.callchain.phone.spi.IncomingInvite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callee's side of an initial INVITE (RFC 3261 §13.3): 100 Trying at once, the optional digest
 * challenge, the admission hook on a worker thread, then the offer check (488 when no codec
 * matches, §13.3.1.3), 180 Ringing, and later 200 with the answer, a rejection, or 487 after CANCEL
 * (§9.2).
 */
final class IncomingLeg {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingLeg.class);

  private final JainSipCall call;
  private final ServerTransaction tx;
  private final Request invite;
  final String toTag = SipMessages.newTag();
  private AudioSdp offer;
  private int lastRejectCode;
  private String lastRejectReason;

  private IncomingLeg(JainSipCall call, ServerTransaction tx, Request invite) {
    this.call = call;
    this.tx = tx;
    this.invite = invite;
  }

  /** Handles a new INVITE (no To tag) whose server transaction exists. */
  static void handle(JainSipPhone phone, RequestEvent event, ServerTransaction tx) {
    Request invite = event.getRequest();
    SipMessages sip = phone.sip();
    boolean reserved = false;
    try {
      tx.sendResponse(sip.response(Response.TRYING, invite, null));
      String callId = ((javax.sip.header.CallIdHeader) invite.getHeader("Call-ID")).getCallId();
      JainSipCall existing = phone.find(callId);
      if (existing != null) {
        if (existing.incoming != null && sameBranch(existing.incoming.invite, invite)) {
          // A copy of the INVITE that got a transaction of its own while racing the original:
          // the same transaction (RFC 3261 §17.2.3), which the original answers.
          tx.terminate();
          return;
        }
        // RFC 3261 §8.2.2.2: a second INVITE for a live call that is not in its dialog.
        tx.sendResponse(sip.response(Response.LOOP_DETECTED, invite, SipMessages.newTag()));
        return;
      }
      if (phone.isClosed()) {
        tx.sendResponse(sip.response(Response.SERVICE_UNAVAILABLE, invite, SipMessages.newTag()));
        return;
      }
      InboundDigestGuard guard = phone.inboundGuard();
      if (guard != null && !guard.isAuthorized(invite)) {
        Response unauthorized = sip.response(Response.UNAUTHORIZED, invite, SipMessages.newTag());
        guard.challenge(unauthorized, sip);
        tx.sendResponse(unauthorized);
        return;
      }
      if (!phone.reserveAdmission()) {
        tx.sendResponse(sip.overloaded(invite));
        return;
      }
      reserved = true;
      FromHeader from = (FromHeader) invite.getHeader("From");
      ToHeader to = (ToHeader) invite.getHeader("To");
      ViaHeader via = (ViaHeader) invite.getHeader("Via");
      Transport transport = Transport.parse(via.getTransport());
      String source = sourceOf(event, via);
      JainSipCall call =
          new JainSipCall(
              phone,
              callId,
              CallDirection.INCOMING,
              to.getAddress().getURI().toString(),
              from.getAddress().getURI().toString(),
              Optional.ofNullable(from.getAddress().getDisplayName()),
              transport,
              source,
              CallState.INCOMING);
      IncomingLeg leg = new IncomingLeg(call, tx, invite);
      call.incoming = leg;
      phone.track(call);
      IncomingInvite view =
          new IncomingInvite(
              callId,
              invite.getRequestURI().toString(),
              from.getAddress().getURI().toString(),
              Optional.ofNullable(from.getAddress().getDisplayName()),
              to.getAddress().getURI().toString(),
              source,
              transport.token(),
              headersOf(invite));
      phone
          .workers()
          .execute(
              () -> {
                try {
                  leg.admit(view);
                } finally {
                  phone.admissionDone();
                }
              });
    } catch (Exception e) {
      if (reserved) {
        phone.admissionDone();
      }
      LOG.warn("incoming INVITE failed: {}", e.getMessage());
    }
  }

  private static String sourceOf(RequestEvent event, ViaHeader via) {
    if (event instanceof RequestEventExt ext && ext.getRemoteIpAddress() != null) {
      return ext.getRemoteIpAddress() + ":" + ext.getRemotePort();
    }
    return via.getHost() + ":" + (via.getPort() > 0 ? via.getPort() : 5060);
  }

  private static Map<String, List<String>> headersOf(Request request) {
    Map<String, List<String>> headers = new HashMap<>();
    ListIterator<?> names = request.getHeaderNames();
    while (names.hasNext()) {
      String name = (String) names.next();
      List<String> values = new ArrayList<>();
      ListIterator<?> it = request.getHeaders(name);
      while (it.hasNext()) {
        String line = it.next().toString().strip();
        int colon = line.indexOf(':');
        values.add(colon >= 0 ? line.substring(colon + 1).strip() : line);
      }
      headers.merge(
          name.toLowerCase(Locale.ROOT),
          values,
          (a, b) -> {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
          });
    }
    return headers;
  }

  /** Runs on a worker: the admission decision, then the offer check and 180 Ringing. */
  private void admit(IncomingInvite view) {
    AdmissionVerdict verdict;
    try {
      verdict = call.phone.config().admissionHook().admit(view);
    } catch (RuntimeException e) {
      LOG.warn("admission hook failed for {}", call.id(), e);
      verdict = AdmissionVerdict.reject(Response.SERVER_INTERNAL_ERROR, "Admission check failed");
    }
    synchronized (call) {
      call.facts.setAdmissionVerdict(verdict);
    }
    call.phone.fire(new CallEvent.Admitted(call, verdict));
    if (!verdict.accepted()) {
      reject(verdict.sipCode(), verdict.reason());
      return;
    }
    synchronized (call) {
      if (call.state() != CallState.INCOMING) {
        return; // Cancelled while the hook decided.
      }
      try {
        String body = InteropWorkarounds.looksLikeSdp(invite) ? SipMessages.sdpBody(invite) : null;
        if (body != null) {
          offer = SdpParser.parse(body);
        }
        // The engine's defaults decide recording and audio source/sink of incoming calls.
        MediaEngine engine = call.phone.config().mediaEngine();
        call.negotiation.attach(engine.open(engine.options(call.id())));
        if (offer != null) {
          call.negotiation.checkOffer(offer);
        }
        Dialog dialog = call.phone.provider().getNewDialog(tx);
        dialog.terminateOnBye(true);
        call.dialog = dialog;
        Response ringing = call.phone.sip().response(Response.RINGING, invite, toTag);
        ringing.setHeader(call.phone.sip().contact(call.transport));
        tx.sendResponse(ringing);
        call.phone.fire(new CallEvent.Incoming(call, verdict.text()));
        return;
      } catch (SdpException e) {
        LOG.info("call {}: offer not acceptable: {}", call.id(), e.getMessage());
        rejectLocked(Response.NOT_ACCEPTABLE_HERE, e.noCommonCodec() ? "No common codec" : null);
      } catch (MediaException e) {
        LOG.warn("call {}: media unavailable: {}", call.id(), e.getMessage());
        rejectLocked(Response.SERVER_INTERNAL_ERROR, "Media unavailable");
      } catch (Exception e) {
        LOG.warn("call {}: cannot ring: {}", call.id(), e.getMessage());
        rejectLocked(Response.SERVER_INTERNAL_ERROR, null);
      }
    }
    call.end(CallDisposition.REJECTED, lastRejectCode, lastRejectReason);
  }

  private static boolean sameBranch(Request a, Request b) {
    ViaHeader va = (ViaHeader) a.getHeader(ViaHeader.NAME);
    ViaHeader vb = (ViaHeader) b.getHeader(ViaHeader.NAME);
    return va != null
        && vb != null
        && va.getBranch() != null
        && va.getBranch().equalsIgnoreCase(vb.getBranch());
  }

  /** Sends 200 with the answer, or with an offer when the INVITE had none (RFC 3264 §4). */
  void answer() {
    synchronized (call) {
      if (call.state() != CallState.INCOMING || call.dialog == null) {
        throw new IllegalStateException("cannot answer a call in state " + call.state());
      }
      try {
        String sdp;
        if (offer != null) {
          sdp = call.negotiation.answerOffer(offer);
        } else {
          sdp = SdpWriter.write(call.negotiation.newOffer());
          call.negotiation.expectAnswerInAck();
        }
        Response ok = call.phone.sip().response(Response.OK, invite, toTag);
        ok.setHeader(call.phone.sip().contact(call.transport));
        call.phone.sip().addAllow(ok);
        call.phone.sip().setSdp(ok, sdp);
        call.facts.markAnswered();
        call.setState(CallState.CONNECTING);
        tx.sendResponse(ok);
        call.modification.awaitAckFor(invite);
        return;
      } catch (Exception e) {
        LOG.warn("call {}: cannot answer: {}", call.id(), e.getMessage());
        rejectLocked(Response.SERVER_INTERNAL_ERROR, "Cannot answer");
      }
    }
    call.end(CallDisposition.FAILED, lastRejectCode, lastRejectReason);
  }

  /** Sends a final non-2xx response and ends the call. */
  void reject(int code, String reason) {
    synchronized (call) {
      CallState s = call.state();
      if (s == CallState.ENDED) {
        return;
      }
      if (s != CallState.INCOMING) {
        throw new IllegalStateException("cannot reject a call in state " + s);
      }
      rejectLocked(code, reason);
    }
    CallDisposition d =
        code == Response.BUSY_HERE || code == Response.BUSY_EVERYWHERE
            ? CallDisposition.BUSY
            : CallDisposition.REJECTED;
    call.end(d, lastRejectCode, lastRejectReason);
  }

  private void rejectLocked(int code, String reason) {
    lastRejectCode = code;
    try {
      Response r = call.phone.sip().response(code, reason, invite, toTag);
      lastRejectReason = r.getReasonPhrase();
      tx.sendResponse(r);
    } catch (Exception e) {
      lastRejectReason = reason;
      LOG.debug("call {}: final response {} failed: {}", call.id(), code, e.getMessage());
    }
  }

  /** Whether {@code invite} is the server transaction of this call's initial INVITE. */
  boolean isFor(ServerTransaction invite) {
    return invite != null && invite == tx;
  }

  /** CANCEL before the answer (RFC 3261 §9.2): 487 to the INVITE, the call ends. */
  void onCancel() {
    synchronized (call) {
      if (call.state() != CallState.INCOMING) {
        return;
      }
      rejectLocked(Response.REQUEST_TERMINATED, null);
    }
    call.end(CallDisposition.CANCELLED, Response.REQUEST_TERMINATED, "Request Terminated");
  }
}
