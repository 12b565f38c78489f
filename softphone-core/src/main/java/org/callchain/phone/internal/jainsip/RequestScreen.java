package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.message.SIPMessage;
import javax.sip.SipProvider;
import javax.sip.address.URI;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Refuses, before any handler sees it, a parsed request this phone cannot serve whatever its
 * method: a Request-URI that is not a SIP URI (416, RFC 3261 §8.2.2.1, RFC 4475 §3.3.2) and a
 * request larger than {@link #MAX_REQUEST_BYTES} (513, RFC 3261 §21.5.14). Both answers are
 * stateless, like the RI's own 400s, so a flood of them creates no transactions.
 */
final class RequestScreen {
  /**
   * Large enough for any SDP offer a desk phone sends (a few KB) with a wide margin; a request with
   * a 60 KB header in one datagram is an attack or a bug, not a call.
   */
  static final int MAX_REQUEST_BYTES = 32 * 1024;

  /**
   * What the stack reads of one message ({@code MAX_MESSAGE_SIZE}): one byte more than this screen
   * allows, so that an over-size datagram, which the socket truncates to this length, is still seen
   * as over-size and refused with 513 instead of being parsed as a shorter message.
   */
  static final int STACK_MAX_MESSAGE_BYTES = MAX_REQUEST_BYTES + 1;

  private RequestScreen() {}

  /** Answers and returns true when the request is refused; false when it may proceed. */
  static boolean refuse(SipMessages sip, SipProvider provider, Request request) throws Exception {
    if (Request.ACK.equals(request.getMethod())) {
      return false; // An ACK is never answered (RFC 3261 §17.2.3).
    }
    URI target = request.getRequestURI();
    int code = 0;
    String reason = null;
    if (!target.isSipURI()) {
      code = Response.UNSUPPORTED_URI_SCHEME;
      reason = "Unsupported URI Scheme: " + target.getScheme();
    } else if (sizeOf(request) > MAX_REQUEST_BYTES) {
      code = Response.MESSAGE_TOO_LARGE;
      reason = "Message Too Large";
    }
    if (code == 0) {
      return false;
    }
    provider.sendResponse(sip.response(code, reason, request, SipMessages.newTag()));
    return true;
  }

  /** The size on the wire as the parser saw it; re-encoding is the fallback (costly per call). */
  private static int sizeOf(Request request) {
    int parsed = request instanceof SIPMessage m ? m.getSize() : 0;
    return parsed > 0 ? parsed : request.toString().length();
  }
}
