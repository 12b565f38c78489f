package org.callchain.phone.internal.jainsip;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers OPTIONS (RFC 3261 §11.2) with 200 and what this phone can do: Allow, Accept
 * (application/sdp, and message/sipfrag for REFER's NOTIFYs), Accept-Language, Supported.
 */
final class OptionsHandler {
  private OptionsHandler() {}

  static void answer(JainSipPhone phone, ServerTransaction tx, Request options) throws Exception {
    SipMessages sip = phone.sip();
    Response ok = sip.response(Response.OK, options, SipMessages.newTag());
    sip.addAllow(ok);
    ok.addHeader(sip.headers.createAcceptHeader("application", "sdp"));
    ok.addHeader(sip.headers.createAcceptHeader("message", "sipfrag"));
    ok.addHeader(sip.headers.createAcceptLanguageHeader(java.util.Locale.ENGLISH));
    ok.setHeader(InteropWorkarounds.emptySupported(sip.headers));
    tx.sendResponse(ok);
  }
}
