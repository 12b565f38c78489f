package org.callchain.phone.internal.jainsip;

import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.PhoneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transferee's side of a blind transfer (RFC 3515 §2.4): 202 to the REFER, a NOTIFY "100
 * Trying", the new call to the Refer-To target, and NOTIFYs with its progress as message/sipfrag
 * (RFC 3420) until a final status ends the implicit subscription.
 */
final class ReferHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReferHandler.class);

  private ReferHandler() {}

  static void onRefer(JainSipPhone phone, JainSipCall call, ServerTransaction tx, Request refer)
      throws Exception {
    SipMessages sip = phone.sip();
    ReferToHeader referTo = (ReferToHeader) refer.getHeader(ReferToHeader.NAME);
    if (referTo == null) {
      tx.sendResponse(sip.response(Response.BAD_REQUEST, "Missing Refer-To", refer, null));
      return;
    }
    if (!(referTo.getAddress().getURI() instanceof SipURI target)) {
      tx.sendResponse(sip.response(Response.UNSUPPORTED_URI_SCHEME, refer, null));
      return;
    }
    if (call.state() != CallState.ESTABLISHED) {
      tx.sendResponse(sip.response(Response.FORBIDDEN, "Call not established", refer, null));
      return;
    }
    // Embedded headers (?Replaces=...) belong to attended transfer, which is not offered.
    String text = target.toString();
    String targetUri = text.contains("?") ? text.substring(0, text.indexOf('?')) : text;
    tx.sendResponse(sip.response(Response.ACCEPTED, refer, null));
    call.transfer.sendNotify(Response.TRYING, "Trying", false);
    Call newCall;
    try {
      newCall = phone.call(targetUri, CallOptions.defaults());
    } catch (PhoneException e) {
      LOG.info("call {}: transfer to {} failed: {}", call.id(), targetUri, e.getMessage());
      call.transfer.sendNotify(Response.SERVICE_UNAVAILABLE, "Service Unavailable", true);
      return;
    }
    newCall.addListener(
        event -> {
          if (event instanceof CallEvent.StateChanged s) {
            if (s.current() == CallState.RINGING) {
              call.transfer.sendNotify(Response.RINGING, "Ringing", false);
            } else if (s.current() == CallState.ESTABLISHED) {
              call.transfer.sendNotify(Response.OK, "OK", true);
            }
          } else if (event instanceof CallEvent.Ended e && e.record().answerMillis().isEmpty()) {
            int code = e.record().finalSipCode() == 0 ? 500 : e.record().finalSipCode();
            call.transfer.sendNotify(code, e.record().finalReason(), true);
          }
        });
    phone.fire(new CallEvent.TransferRequested(call, targetUri, newCall));
  }
}
