package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.ResponseEventExt;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaException;
import org.callchain.media.MediaSession;
import org.callchain.media.MediaSessionOptions;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.DigestCredentials;
import org.callchain.phone.PhoneException;
import org.callchain.phone.RegistrationAccount;
import org.callchain.phone.Transport;
import org.callchain.phone.internal.sdp.SdpException;
import org.callchain.phone.internal.sdp.SdpWriter;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.spi.OutgoingInvite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's side of an initial INVITE (RFC 3261 §13.2): sends it, follows provisional and final
 * responses, answers a 401/407 challenge once (§22.2), ACKs the 2xx, and cancels (§9.1) on hangup
 * or ring timeout — waiting for a provisional response first, as §9.1 requires.
 *
 * <p>Guarded by the call's lock.
 */
final class OutgoingLeg {
  private static final Logger LOG = LoggerFactory.getLogger(OutgoingLeg.class);
  private static final int MAX_AUTH_ATTEMPTS = 2;

  /** RFC 3261 §9.1: without a final response 64*T1 after CANCEL, the INVITE is given up. */
  private static final long CANCEL_GIVE_UP_MILLIS = 32_000;

  private final JainSipCall call;
  final String fromTag = SipMessages.newTag();
  private final SipURI requestUri;
  private final Address from;
  private final Address to;
  private final CallOptions options;
  private final String offerSdp;
  private long cseq = 1;
  private ClientTransaction inviteTx;
  private int authAttempts;
  private boolean provisionalReceived;
  private CallDisposition cancelWanted;
  private boolean cancelSent;
  private ScheduledFuture<?> ringTimer;

  private OutgoingLeg(
      JainSipCall call, SipURI requestUri, Address from, Address to, CallOptions options) {
    this.call = call;
    this.requestUri = requestUri;
    this.from = from;
    this.to = to;
    this.options = options;
    this.offerSdp = SdpWriter.write(call.negotiation.newOffer());
  }

  /** Validates the target, opens media, sends the INVITE; see {@code Phone.call}. */
  static JainSipCall start(JainSipPhone phone, String targetUri, CallOptions options)
      throws PhoneException {
    SipMessages sip = phone.sip();
    SipURI target = parseSipUri(sip, targetUri);
    Transport transport;
    try {
      transport =
          options
              .transport()
              .orElse(
                  target.getTransportParam() == null
                      ? Transport.UDP
                      : Transport.parse(target.getTransportParam()));
    } catch (IllegalArgumentException e) {
      throw new PhoneException(e.getMessage());
    }
    if (!phone.config().transports().contains(transport)) {
      throw new PhoneException("this phone does not listen on " + transport);
    }
    SipURI requestUri = (SipURI) target.clone();
    Address from;
    Address to;
    try {
      if (transport == Transport.TCP) {
        requestUri.setTransportParam("tcp");
      }
      String fromUri = options.fromUri().orElse(phone.addressOfRecord());
      from = sip.addresses.createAddress(parseSipUri(sip, fromUri));
      if (phone.config().displayName().isPresent()) {
        from.setDisplayName(phone.config().displayName().get());
      }
      SipURI toUri = (SipURI) target.clone();
      toUri.removeParameter("transport");
      to = sip.addresses.createAddress(toUri);
    } catch (ParseException e) {
      throw new PhoneException("bad SIP address: " + e.getMessage(), e);
    }
    String callId = phone.provider().getNewCallId().getCallId();
    MediaSession media;
    try {
      MediaEngine engine = phone.config().mediaEngine();
      MediaSessionOptions mediaOptions = engine.options(callId);
      if (options.record()) {
        mediaOptions = mediaOptions.withRecord(true);
      }
      media = engine.open(mediaOptions);
    } catch (MediaException e) {
      throw new PhoneException("cannot open media for the call: " + e.getMessage(), e);
    }
    String hostPort = target.getHost() + ":" + (target.getPort() > 0 ? target.getPort() : 5060);
    JainSipCall call =
        new JainSipCall(
            phone,
            callId,
            CallDirection.OUTGOING,
            from.getURI().toString(),
            to.getURI().toString(),
            Optional.empty(),
            transport,
            hostPort,
            CallState.CALLING);
    call.negotiation.attach(media);
    OutgoingLeg leg = new OutgoingLeg(call, requestUri, from, to, options);
    call.outgoing = leg;
    phone.track(call);
    synchronized (call) {
      phone.fire(new CallEvent.Outgoing(call));
      try {
        leg.sendInvite(null);
      } catch (Exception e) {
        call.end(CallDisposition.FAILED, 0, "INVITE could not be sent: " + e.getMessage());
        throw new PhoneException("cannot send INVITE to " + targetUri + ": " + e.getMessage(), e);
      }
    }
    leg.startRingTimer(options.ringTimeout().toMillis());
    return call;
  }

  private static SipURI parseSipUri(SipMessages sip, String text) throws PhoneException {
    URI uri;
    try {
      uri = sip.addresses.createURI(text.strip());
    } catch (ParseException e) {
      throw new PhoneException("not a SIP URI: " + text);
    }
    if (!(uri instanceof SipURI sipUri) || sipUri.getHost() == null || sipUri.isSecure()) {
      throw new PhoneException("not a sip: URI (sips: and tel: are not supported): " + text);
    }
    return sipUri;
  }

  /** Builds and sends the INVITE, answering {@code challenge} when it is a 401/407. */
  private void sendInvite(Response challenge) throws Exception {
    JainSipPhone phone = call.phone;
    SipMessages sip = phone.sip();
    CallIdHeader callId = sip.headers.createCallIdHeader(call.id());
    List<ViaHeader> vias = new ArrayList<>();
    vias.add(sip.via(call.transport));
    Request invite =
        sip.messages.createRequest(
            requestUri,
            Request.INVITE,
            callId,
            sip.headers.createCSeqHeader(cseq++, Request.INVITE),
            sip.headers.createFromHeader(from, fromTag),
            sip.headers.createToHeader(to, null),
            vias,
            sip.headers.createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
    invite.addHeader(sip.contact(call.transport));
    sip.addAgentHeaders(invite);
    if (phone.config().outboundProxy().isPresent()) {
      // RFC 3261 §8.1.2: a pre-loaded Route to the outbound proxy, loose routing (;lr).
      Address proxy = sip.addresses.createAddress(phone.config().outboundProxy().get());
      ((SipURI) proxy.getURI()).setLrParam();
      invite.addHeader(sip.headers.createRouteHeader(proxy));
    }
    OutgoingInvite view =
        new OutgoingInvite(
            call.id(), from.getURI().toString(), to.getURI().toString(), requestUri.toString());
    for (HeaderField h : phone.config().outgoingRequestHook().headersFor(view)) {
      invite.addHeader(sip.header(h.name(), h.value()));
    }
    sip.setSdp(invite, offerSdp);
    if (challenge != null) {
      DigestCredentials credentials = credentials().orElseThrow();
      if (!DigestClient.authorize(invite, challenge, credentials, sip.headers)) {
        throw new IllegalStateException("no supported digest challenge");
      }
    }
    ClientTransaction tx = phone.provider().getNewClientTransaction(invite);
    Dialog dialog = phone.provider().getNewDialog(tx);
    dialog.terminateOnBye(true);
    call.dialog = dialog;
    inviteTx = tx;
    tx.sendRequest();
  }

  private Optional<DigestCredentials> credentials() {
    if (options.credentials().isPresent()) {
      return options.credentials();
    }
    return call.phone.config().registration().map(RegistrationAccount::credentials);
  }

  boolean owns(ClientTransaction tx) {
    synchronized (call) {
      return tx != null && tx == inviteTx;
    }
  }

  void onResponse(ResponseEvent event) {
    Response response = event.getResponse();
    int code = response.getStatusCode();
    if (event instanceof ResponseEventExt ext && ext.getRemoteIpAddress() != null) {
      call.facts.setRemoteSipAddress(ext.getRemoteIpAddress() + ":" + ext.getRemotePort());
    }
    boolean byeAfterAck = false;
    synchronized (call) {
      if (call.state() == CallState.ENDED) {
        return;
      }
      if (code < 200) {
        provisionalReceived = true;
        if (cancelWanted != null && !cancelSent) {
          sendCancel();
        } else if (code > 100 && call.state() == CallState.CALLING) {
          call.setState(CallState.RINGING);
        }
        earlyMedia(response);
        return;
      }
      if (code < 300) {
        if (event.getDialog() != null) {
          call.dialog = event.getDialog();
        }
        stopRingTimer();
        call.sendAck(response);
        call.facts.markAnswered();
        String body = SipMessages.sdpBody(response);
        try {
          if (body != null) {
            call.negotiation.acceptAnswer(body);
          } else if (!call.negotiation.hasNegotiated()) {
            throw new SdpException("the 2xx carries no SDP answer");
          }
        } catch (SdpException | MediaException e) {
          LOG.warn("call {}: unusable answer, hanging up: {}", call.id(), e.getMessage());
          byeAfterAck = true;
        }
        call.setState(CallState.ESTABLISHED);
        byeAfterAck |= cancelWanted != null;
      } else if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED)
          && authAttempts < MAX_AUTH_ATTEMPTS
          && credentials().isPresent()
          && cancelWanted == null) {
        authAttempts++;
        try {
          sendInvite(response);
          return;
        } catch (Exception e) {
          LOG.warn("call {}: cannot answer the challenge: {}", call.id(), e.getMessage());
        }
      }
    }
    if (code >= 300) {
      call.end(dispositionFor(code), code, response.getReasonPhrase());
    } else if (byeAfterAck) {
      call.sendBye();
    }
  }

  /** The ring timeout of {@link CallOptions#ringTimeout()}: then CANCEL, as {@code NO_ANSWER}. */
  private void startRingTimer(long millis) {
    synchronized (call) {
      ringTimer =
          call.phone
              .timers()
              .schedule(() -> cancel(CallDisposition.NO_ANSWER), millis, TimeUnit.MILLISECONDS);
    }
  }

  void stopRingTimer() {
    synchronized (call) {
      if (ringTimer != null) {
        ringTimer.cancel(false);
        ringTimer = null;
      }
    }
  }

  /** Early media (183 with SDP, RFC 3261 §13.2.1) is applied; a later 2xx answer replaces it. */
  private void earlyMedia(Response provisional) {
    String body = SipMessages.sdpBody(provisional);
    if (body == null || call.negotiation.hasNegotiated()) {
      return;
    }
    try {
      call.negotiation.acceptAnswer(body);
    } catch (SdpException | MediaException e) {
      LOG.debug("call {}: early media SDP ignored: {}", call.id(), e.getMessage());
    }
  }

  private CallDisposition dispositionFor(int code) {
    if (cancelWanted != null) {
      return cancelWanted;
    }
    return switch (code) {
      case Response.BUSY_HERE, Response.BUSY_EVERYWHERE -> CallDisposition.BUSY;
      case Response.REQUEST_TERMINATED -> CallDisposition.CANCELLED;
      case Response.REQUEST_TIMEOUT, Response.TEMPORARILY_UNAVAILABLE -> CallDisposition.NO_ANSWER;
      case Response.NOT_FOUND, Response.GONE, Response.ADDRESS_INCOMPLETE -> CallDisposition.FAILED;
      default ->
          code >= 400 && code < 500 || code >= 600
              ? CallDisposition.REJECTED
              : CallDisposition.FAILED;
    };
  }

  /** Cancels the INVITE (RFC 3261 §9.1) once a provisional response has arrived. */
  void cancel(CallDisposition why) {
    synchronized (call) {
      CallState s = call.state();
      if (cancelWanted != null || (s != CallState.CALLING && s != CallState.RINGING)) {
        return;
      }
      cancelWanted = why;
      stopRingTimer();
      if (provisionalReceived) {
        sendCancel();
      }
    }
    call.phone
        .timers()
        .schedule(
            () -> call.end(why, Response.REQUEST_TERMINATED, "no final response to CANCEL"),
            CANCEL_GIVE_UP_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  private void sendCancel() {
    try {
      Request cancel = inviteTx.createCancel();
      ClientTransaction tx = call.phone.provider().getNewClientTransaction(cancel);
      tx.sendRequest();
      cancelSent = true;
      call.setState(CallState.TERMINATING);
    } catch (Exception e) {
      LOG.warn("call {}: CANCEL failed: {}", call.id(), e.getMessage());
    }
  }

  /** Timer B fired: no final response to the INVITE (RFC 3261 §17.1.1.2). */
  void onTimeout() {
    CallDisposition d = cancelWanted != null ? cancelWanted : CallDisposition.NO_ANSWER;
    call.end(d, Response.REQUEST_TIMEOUT, "Request Timeout (no response)");
  }
}
