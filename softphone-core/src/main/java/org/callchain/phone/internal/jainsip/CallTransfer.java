package org.callchain.phone.internal.jainsip;

import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REFER usage of a call's dialog, blind transfer (RFC 3515, RFC 5589): as transferor, the REFER
 * this side sends, its response and the NOTIFYs that report the transfer; as transferee, the
 * NOTIFYs this side sends about the call it placed ({@link ReferHandler} accepts the REFER). One
 * REFER per dialog at a time, so NOTIFYs carry no {@code id} parameter.
 *
 * <p>Guarded by the call's lock.
 */
final class CallTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(CallTransfer.class);

  private final JainSipCall call;
  private ClientTransaction referTx;

  CallTransfer(JainSipCall call) {
    this.call = call;
  }

  // ---- the transferor's side (RFC 3515 §2.4) ----

  /** Sends REFER with {@code Refer-To: targetUri}; the caller has checked the call's state. */
  void refer(String targetUri) {
    synchronized (call) {
      SipMessages sip = call.phone.sip();
      try {
        Request refer = call.dialog.createRequest(Request.REFER);
        Address target = sip.addresses.createAddress(targetUri);
        refer.setHeader(sip.headers.createReferToHeader(target));
        refer.setHeader(sip.contact(call.transport));
        sip.addAgentHeaders(refer);
        referTx = call.phone.provider().getNewClientTransaction(refer);
        call.dialog.sendRequest(referTx);
      } catch (java.text.ParseException e) {
        throw new IllegalArgumentException("not a SIP URI: " + targetUri, e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot send REFER: " + e.getMessage(), e);
      }
    }
  }

  boolean owns(ClientTransaction ct) {
    synchronized (call) {
      return ct != null && ct == referTx;
    }
  }

  void onReferResponse(Response response) {
    int code = response.getStatusCode();
    if (code >= 200) {
      call.phone.fire(
          new CallEvent.TransferProgress(call, code, response.getReasonPhrase(), code >= 300));
    }
  }

  /** No final response to the REFER (RFC 3261 §17.1.2.2, Timer F). */
  void onReferTimeout() {
    call.phone.fire(
        new CallEvent.TransferProgress(call, Response.REQUEST_TIMEOUT, "Request Timeout", true));
  }

  /** A NOTIFY with the progress of the transfer this side asked for. */
  void onNotify(ServerTransaction st, Request notify) {
    try {
      st.sendResponse(call.phone.sip().response(Response.OK, notify, null));
    } catch (Exception e) {
      LOG.debug("200 to NOTIFY of {} failed: {}", call.id(), e.getMessage());
    }
    String[] status = InteropWorkarounds.sipfragStatus(SipMessages.sdpBody(notify));
    if (status == null) {
      return;
    }
    int code = Integer.parseInt(status[0]);
    SubscriptionStateHeader sub =
        (SubscriptionStateHeader) notify.getHeader(SubscriptionStateHeader.NAME);
    boolean terminated = sub != null && "terminated".equalsIgnoreCase(sub.getState());
    boolean finalStatus = code >= 200;
    call.phone.fire(
        new CallEvent.TransferProgress(call, code, status[1], terminated || finalStatus));
    if (finalStatus && code < 300) {
      // RFC 5589 §6.1: the transfer succeeded; the transferor leaves the call.
      call.sendBye();
    }
  }

  // ---- the transferee's side ----

  /**
   * The transferee's NOTIFY about the call it placed for a REFER (RFC 3515 §2.4.4, §2.4.5): the new
   * call's status line as message/sipfrag; a final status terminates the subscription.
   */
  void sendNotify(int code, String reason, boolean terminated) {
    synchronized (call) {
      if (call.state() == CallState.ENDED || call.dialog == null) {
        return;
      }
      SipMessages sip = call.phone.sip();
      try {
        HeaderFactory h = sip.headers;
        Request notify = call.dialog.createRequest(Request.NOTIFY);
        notify.setHeader(h.createEventHeader("refer"));
        SubscriptionStateHeader sub =
            h.createSubscriptionStateHeader(
                terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
        if (terminated) {
          sub.setReasonCode("noresource");
        } else {
          sub.setExpires(60);
        }
        notify.setHeader(sub);
        notify.setHeader(sip.contact(call.transport));
        sip.addAgentHeaders(notify);
        ContentTypeHeader type = h.createContentTypeHeader("message", "sipfrag");
        type.setParameter("version", "2.0");
        notify.setContent("SIP/2.0 " + code + " " + reason + "\r\n", type);
        ClientTransaction ct = call.phone.provider().getNewClientTransaction(notify);
        call.dialog.sendRequest(ct);
      } catch (Exception e) {
        LOG.info("call {}: NOTIFY {} not sent: {}", call.id(), code, e.getMessage());
      }
    }
  }
}
