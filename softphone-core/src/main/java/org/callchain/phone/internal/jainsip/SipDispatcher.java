package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single JAIN-SIP listener of a phone: it routes each request by method and each response or
 * timeout by its transaction to the small handler that owns it. It never blocks.
 */
final class SipDispatcher implements SipListenerExt {
  private static final Logger LOG = LoggerFactory.getLogger(SipDispatcher.class);

  private final JainSipPhone phone;

  SipDispatcher(JainSipPhone phone) {
    this.phone = phone;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    String method = request.getMethod();
    try {
      if (RequestScreen.refuse(phone.sip(), phone.provider(), request)) {
        return;
      }
      if (Request.ACK.equals(method)) {
        JainSipCall call = phone.find(callId(request));
        if (call != null) {
          call.onAck(request);
        }
        return;
      }
      if (!SipMessages.ALLOWED.contains(method)) {
        // RFC 3261 §8.2.1: a method we do not implement gets 405 with the Allow list. Sent
        // statelessly: the stack refuses transactions for some methods it cannot validate.
        Response r =
            phone.sip().response(Response.METHOD_NOT_ALLOWED, request, SipMessages.newTag());
        phone.sip().addAllow(r);
        phone.provider().sendResponse(r);
        return;
      }
      ServerTransaction tx = serverTransaction(event);
      if (tx == null) {
        return; // A retransmission the stack already answers.
      }
      if (!Request.CANCEL.equals(method) && rejectUnsupportedExtensions(tx, request)) {
        return;
      }
      switch (method) {
        case Request.INVITE -> {
          if (toTag(request) == null) {
            IncomingLeg.handle(phone, event, tx);
          } else {
            JainSipCall call = dialogCall(tx, request);
            if (call != null) {
              call.modification.onReInvite(tx, request);
            }
          }
        }
        case Request.CANCEL -> onCancel(tx, request);
        case Request.BYE -> {
          JainSipCall call = dialogCall(tx, request);
          if (call != null) {
            call.onBye(tx, request);
          }
        }
        case Request.REFER -> {
          JainSipCall call = dialogCall(tx, request);
          if (call != null) {
            ReferHandler.onRefer(phone, call, tx, request);
          }
        }
        case Request.NOTIFY -> {
          JainSipCall call = dialogCall(tx, request);
          if (call != null) {
            call.transfer.onNotify(tx, request);
          }
        }
        case Request.OPTIONS -> OptionsHandler.answer(phone, tx, request);
        default -> {
          // RFC 3261 §8.2.1: a method we do not implement gets 405 with the Allow list.
          Response r =
              phone.sip().response(Response.METHOD_NOT_ALLOWED, request, SipMessages.newTag());
          phone.sip().addAllow(r);
          tx.sendResponse(r);
        }
      }
    } catch (Exception e) {
      LOG.warn("{} request failed: {}", method, e.toString());
    }
  }

  private ServerTransaction serverTransaction(RequestEvent event) {
    ServerTransaction tx = event.getServerTransaction();
    if (tx != null) {
      return tx;
    }
    Request request = event.getRequest();
    if (Request.INVITE.equals(request.getMethod())
        && toTag(request) == null
        && phone.serverTransactionsNearLimit()) {
      // The RI's own MAX_SERVER_TRANSACTIONS check lets a flood of distinct INVITEs grow the table
      // far past the limit (each lingers 32 s, RFC 3261 §17.2.1), so for new calls the limit is
      // ours to keep: a stateless 503 costs no transaction. Requests of calls in progress (BYE)
      // still get theirs.
      overloaded(event);
      return null;
    }
    try {
      return phone.provider().getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException e) {
      return null;
    } catch (TransactionUnavailableException e) {
      if (!phone.serverTransactionsNearLimit()) {
        return badRequest(event, e);
      }
      // The RI sheds new transactions near MAX_SERVER_TRANSACTIONS (StackProperties).
      overloaded(event);
      return null;
    } catch (Exception e) {
      return badRequest(event, e);
    }
  }

  private void overloaded(RequestEvent event) {
    try {
      phone.provider().sendResponse(phone.sip().overloaded(event.getRequest()));
    } catch (Exception unsendable) {
      LOG.debug("503 not sent: {}", unsendable.toString());
    }
  }

  /**
   * The stack found the request unfit for a transaction (e.g. a missing mandatory header): RFC 3261
   * §8.2.2: answer 400 statelessly with the reason.
   */
  private ServerTransaction badRequest(RequestEvent event, Exception e) {
    LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), e.toString());
    try {
      Response bad =
          phone.sip().response(Response.BAD_REQUEST, e.getMessage(), event.getRequest(), null);
      phone.provider().sendResponse(bad);
    } catch (Exception unsendable) {
      LOG.debug("400 not sent: {}", unsendable.toString());
    }
    return null;
  }

  /**
   * RFC 3261 §8.2.2.3: a Require with an option tag this phone does not implement (it implements
   * none) is answered 420 with those tags in Unsupported.
   */
  private boolean rejectUnsupportedExtensions(ServerTransaction tx, Request request)
      throws Exception {
    ListIterator<?> it = request.getHeaders(RequireHeader.NAME);
    List<String> tags = new ArrayList<>();
    while (it.hasNext()) {
      tags.add(((RequireHeader) it.next()).getOptionTag());
    }
    if (tags.isEmpty()) {
      return false;
    }
    Response r = phone.sip().response(Response.BAD_EXTENSION, request, SipMessages.newTag());
    for (String tag : tags) {
      r.addHeader(phone.sip().headers.createUnsupportedHeader(tag));
    }
    tx.sendResponse(r);
    return true;
  }

  /** The call an in-dialog request belongs to, or null after answering 481 (RFC 3261 §12.2.2). */
  private JainSipCall dialogCall(ServerTransaction tx, Request request) throws Exception {
    JainSipCall call = phone.find(callId(request));
    if (call == null || call.dialog == null) {
      tx.sendResponse(
          phone.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request, null));
      return null;
    }
    return call;
  }

  /**
   * RFC 3261 §9.2: 200 to the CANCEL itself, then 487 to the INVITE if still unanswered. The CANCEL
   * is for the INVITE transaction the stack matched it to (CancelMatchingSipStack), not for any
   * call that shares its Call-ID: a CANCEL that matches no transaction gets 481.
   */
  private void onCancel(ServerTransaction tx, Request cancel) throws Exception {
    JainSipCall call = phone.find(callId(cancel));
    ServerTransaction cancelled =
        tx instanceof SIPServerTransaction st ? st.getCanceledInviteTransaction() : null;
    if (call == null || call.incoming == null || !call.incoming.isFor(cancelled)) {
      tx.sendResponse(
          phone.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, cancel, null));
      return;
    }
    tx.sendResponse(phone.sip().response(Response.OK, cancel, call.incoming.toTag));
    call.incoming.onCancel();
  }

  @Override
  public void processResponse(ResponseEvent event) {
    Response response = event.getResponse();
    CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
    if (cseq == null) {
      return;
    }
    String method = cseq.getMethod();
    ClientTransaction tx = event.getClientTransaction();
    try {
      if (Request.REGISTER.equals(method)) {
        if (phone.registration() != null) {
          phone.registration().onResponse(tx, response);
        }
        return;
      }
      JainSipCall call = phone.find(callId(response));
      if (call == null) {
        return;
      }
      switch (method) {
        case Request.INVITE -> {
          if (call.outgoing != null && call.outgoing.owns(tx)) {
            call.outgoing.onResponse(event);
          } else if (call.modification.owns(tx)) {
            call.modification.onResponse(response);
          }
        }
        case Request.BYE -> {
          if (response.getStatusCode() >= 200) {
            call.onByeResponse(response);
          }
        }
        case Request.REFER -> {
          if (call.transfer.owns(tx)) {
            call.transfer.onReferResponse(response);
          }
        }
        default -> {
          // Responses to CANCEL and NOTIFY need no action.
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("{} response handling failed: {}", method, e.toString());
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    if (event.isServerTransaction()) {
      return;
    }
    ClientTransaction tx = event.getClientTransaction();
    Request request = tx.getRequest();
    String method = request.getMethod();
    if (Request.REGISTER.equals(method)) {
      if (phone.registration() != null) {
        phone.registration().onTimeout(tx);
      }
      return;
    }
    JainSipCall call = phone.find(callId(request));
    if (call == null) {
      return;
    }
    switch (method) {
      case Request.INVITE -> {
        if (call.outgoing != null && call.outgoing.owns(tx)) {
          call.outgoing.onTimeout();
        } else if (call.modification.owns(tx)) {
          call.modification.onResponse(timeoutResponse(request));
        }
      }
      case Request.BYE -> call.onByeResponse(timeoutResponse(request));
      case Request.REFER -> {
        if (call.transfer.owns(tx)) {
          call.transfer.onReferTimeout();
        }
      }
      default -> {
        // A lost NOTIFY or CANCEL changes nothing: the call's own transactions decide.
      }
    }
  }

  private Response timeoutResponse(Request request) {
    try {
      return phone.sip().messages.createResponse(Response.REQUEST_TIMEOUT, request);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void processDialogTimeout(DialogTimeoutEvent event) {
    // RFC 3261 §13.3.1.4: no ACK for our 2xx within 64*T1: the call is over.
    for (org.callchain.phone.Call c : phone.activeCalls()) {
      JainSipCall call = (JainSipCall) c;
      if (call.dialog == event.getDialog()) {
        LOG.info("call {}: no ACK for the 2xx, hanging up", call.id());
        call.sendBye();
      }
    }
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.info(
        "SIP transport error to {}:{} over {}",
        event.getHost(),
        event.getPort(),
        event.getTransport());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {}

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {}

  private static String callId(javax.sip.message.Message message) {
    CallIdHeader h = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
    return h == null ? null : h.getCallId();
  }

  private static String toTag(Request request) {
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    return to == null ? null : to.getTag();
  }
}
