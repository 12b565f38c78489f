package org.callchain.phone.internal.jainsip;

import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.phone.RegistrationAccount;
import org.callchain.phone.RegistrationEvent;
import org.callchain.phone.RegistrationState;
import org.callchain.phone.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one binding at a registrar alive (RFC 3261 §10.2): REGISTER with digest authentication,
 * refresh before the granted expiry, retry with exponential backoff (1 s doubling to 60 s) after
 * any failure — which also re-creates the binding after a registrar restart — and un-REGISTER with
 * {@code Expires: 0} on shutdown. One Call-ID for all of them with increasing CSeq (§10.2.4).
 */
final class RegistrationClient {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationClient.class);
  private static final int MAX_AUTH_ATTEMPTS = 2;
  private static final long MAX_BACKOFF_SECONDS = 60;

  private final JainSipPhone phone;
  private final RegistrationAccount account;
  private final String callId;
  private final String fromTag = SipMessages.newTag();
  private long cseq = 1;
  private volatile RegistrationState state = RegistrationState.NONE;
  private ClientTransaction pending;
  private int authAttempts;
  private int failures;
  private ScheduledFuture<?> next;
  private boolean unregistering;
  private final CountDownLatch unregistered = new CountDownLatch(1);

  RegistrationClient(JainSipPhone phone, RegistrationAccount account) {
    this.phone = phone;
    this.account = account;
    this.callId = phone.provider().getNewCallId().getCallId();
  }

  RegistrationState state() {
    return state;
  }

  synchronized void start() {
    register(null);
  }

  private synchronized void register(Response challenge) {
    if (phone.isClosed() && !unregistering) {
      return;
    }
    if (state != RegistrationState.REGISTERING) {
      setState(RegistrationState.REGISTERING, 0, unregistering ? "un-REGISTER" : "REGISTER", 0);
    }
    try {
      Request register = buildRegister(unregistering ? 0 : account.expirySeconds());
      if (challenge != null
          && !DigestClient.authorize(
              register, challenge, account.credentials(), phone.sip().headers)) {
        failed(challenge.getStatusCode(), "no supported authentication scheme");
        return;
      }
      pending = phone.provider().getNewClientTransaction(register);
      pending.sendRequest();
    } catch (Exception e) {
      failed(0, "REGISTER not sent: " + e.getMessage());
    }
  }

  private Request buildRegister(int expires) throws Exception {
    SipMessages sip = phone.sip();
    SipURI registrar = (SipURI) sip.addresses.createURI(account.registrarUri());
    Transport transport =
        registrar.getTransportParam() == null
            ? Transport.UDP
            : Transport.parse(registrar.getTransportParam());
    Address aor = sip.addresses.createAddress(account.addressOfRecord());
    Request r =
        sip.messages.createRequest(
            registrar,
            Request.REGISTER,
            sip.headers.createCallIdHeader(callId),
            sip.headers.createCSeqHeader(cseq++, Request.REGISTER),
            sip.headers.createFromHeader(aor, fromTag),
            sip.headers.createToHeader(aor, null),
            List.of(sip.via(transport)),
            sip.headers.createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
    ContactHeader contact = sip.contact(transport);
    r.addHeader(contact);
    r.addHeader(sip.headers.createExpiresHeader(expires));
    sip.addAgentHeaders(r);
    if (phone.config().outboundProxy().isPresent()) {
      Address proxy = sip.addresses.createAddress(phone.config().outboundProxy().get());
      ((SipURI) proxy.getURI()).setLrParam();
      r.addHeader(sip.headers.createRouteHeader(proxy));
    }
    return r;
  }

  synchronized void onResponse(ClientTransaction tx, Response response) {
    if (tx == null || tx != pending) {
      return;
    }
    int code = response.getStatusCode();
    if (code < 200) {
      return;
    }
    pending = null;
    if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED)
        && authAttempts < MAX_AUTH_ATTEMPTS) {
      authAttempts++;
      register(response);
      return;
    }
    authAttempts = 0;
    if (code >= 300) {
      failed(code, response.getReasonPhrase());
      return;
    }
    failures = 0;
    if (unregistering) {
      setState(RegistrationState.UNREGISTERED, code, response.getReasonPhrase(), 0);
      unregistered.countDown();
      return;
    }
    int granted = grantedExpiry(response);
    setState(RegistrationState.REGISTERED, code, response.getReasonPhrase(), granted);
    schedule(refreshDelaySeconds(granted));
  }

  synchronized void onTimeout(ClientTransaction tx) {
    if (tx == pending) {
      pending = null;
      failed(0, "no response from the registrar");
    }
  }

  private void failed(int code, String reason) {
    authAttempts = 0;
    if (unregistering) {
      setState(RegistrationState.UNREGISTERED, code, reason, 0);
      unregistered.countDown();
      return;
    }
    failures++;
    long delay = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(failures - 1, 6));
    LOG.info("registration failed ({} {}); retry in {} s", code, reason, delay);
    setState(RegistrationState.FAILED, code, reason, 0);
    schedule(delay);
  }

  private void schedule(long seconds) {
    if (next != null) {
      next.cancel(false);
    }
    if (phone.isClosed()) {
      return;
    }
    next = phone.timers().schedule(() -> register(null), seconds, TimeUnit.SECONDS);
  }

  /**
   * The lifetime the registrar granted (RFC 3261 §10.2.4): our Contact's expires parameter, else
   * the Expires header, else what was asked.
   */
  private int grantedExpiry(Response ok) {
    String ourHostPort = phone.sip().host() + ":" + phone.sip().port();
    ListIterator<?> it = ok.getHeaders(ContactHeader.NAME);
    while (it.hasNext()) {
      ContactHeader c = (ContactHeader) it.next();
      if (c.getAddress().getURI() instanceof SipURI uri
          && (uri.getHost() + ":" + uri.getPort()).equals(ourHostPort)
          && c.getExpires() >= 0) {
        return c.getExpires();
      }
    }
    ExpiresHeader expires = ok.getExpires();
    return expires != null ? expires.getExpires() : account.expirySeconds();
  }

  /** Refresh well before expiry: a minute early for long bindings, halfway for short ones. */
  static long refreshDelaySeconds(int granted) {
    if (granted > 120) {
      return granted - 60L;
    }
    return Math.max(1, granted / 2);
  }

  /** Removes the binding (Expires: 0) and waits for the answer until {@code deadlineMillis}. */
  void unregister(long deadlineMillis) {
    synchronized (this) {
      if (next != null) {
        next.cancel(false);
      }
      if (state == RegistrationState.NONE || state == RegistrationState.UNREGISTERED) {
        return;
      }
      // Also while a refresh or retry is in flight: the registrar may hold a binding anyway.
      unregistering = true;
      authAttempts = 0;
      register(null);
    }
    try {
      unregistered.await(
          Math.max(0, deadlineMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void setState(RegistrationState s, int code, String reason, int expires) {
    state = s;
    phone.fireRegistration(new RegistrationEvent(s, code, reason, expires));
  }

  @Override
  public String toString() {
    return "Registration[" + account.addressOfRecord() + " " + state + "]";
  }
}
