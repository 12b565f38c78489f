package org.callchain.phone.internal.jainsip;

import java.text.ParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.InvalidArgumentException;
import javax.sip.SipFactory;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.Transport;

/**
 * Builds the headers and messages every handler needs the same way: Via with rport, Contact,
 * Max-Forwards, User-Agent/Server, Allow, Supported, and SDP bodies. JAIN-SIP's factories are
 * thread-safe, so one instance serves the whole phone.
 */
final class SipMessages {
  /** The methods this phone handles (RFC 3261 §20.5); unknown ones get 405 with this list. */
  static final List<String> ALLOWED =
      List.of(
          Request.INVITE,
          Request.ACK,
          Request.CANCEL,
          Request.BYE,
          Request.OPTIONS,
          Request.REFER,
          Request.NOTIFY);

  /** RFC 3261 §8.1.1.6: a UAC sets Max-Forwards to 70. */
  static final int MAX_FORWARDS = 70;

  final AddressFactory addresses;
  final HeaderFactory headers;
  final MessageFactory messages;
  private final PhoneConfig config;
  private final int port;
  // Parsed once and cloned per message: parsing them again for every response was a visible
  // share of the bench/sip-cps profile.
  private final Header server;
  private final Header userAgent;
  private final List<Header> allow;

  SipMessages(SipFactory factory, PhoneConfig config, int port) throws Exception {
    this.addresses = factory.createAddressFactory();
    this.headers = factory.createHeaderFactory();
    this.messages = factory.createMessageFactory();
    this.config = config;
    this.port = port;
    this.server = headers.createHeader("Server", config.userAgent());
    this.userAgent = headers.createHeader("User-Agent", config.userAgent());
    List<Header> methods = new java.util.ArrayList<>();
    for (String method : ALLOWED) {
      methods.add(headers.createAllowHeader(method));
    }
    this.allow = List.copyOf(methods);
  }

  private static Header copy(Header h) {
    return (Header) h.clone();
  }

  String host() {
    return config.bindAddress();
  }

  int port() {
    return port;
  }

  /** A top Via for a new request; the stack fills the branch. rport per RFC 3581 §3. */
  ViaHeader via(Transport transport) throws ParseException, InvalidArgumentException {
    ViaHeader via = headers.createViaHeader(host(), port, transport.token(), null);
    via.setRPort();
    return via;
  }

  /** This phone's Contact for a dialog or registration over {@code transport}. */
  ContactHeader contact(Transport transport) throws ParseException {
    SipURI uri = addresses.createSipURI(config.user(), host());
    uri.setPort(port);
    if (transport == Transport.TCP) {
      uri.setTransportParam(transport.token());
    }
    Address address = addresses.createAddress(uri);
    return headers.createContactHeader(address);
  }

  /** Adds User-Agent, Allow and Supported, which RFC 3261 §20 recommends on every request. */
  void addAgentHeaders(Request request) throws ParseException, InvalidArgumentException {
    request.setHeader(copy(userAgent));
    addAllow(request);
    request.setHeader(InteropWorkarounds.emptySupported(headers));
    if (request.getHeader("Max-Forwards") == null) {
      request.setHeader(headers.createMaxForwardsHeader(MAX_FORWARDS));
    }
  }

  /**
   * A response to {@code request}; for codes above 100 the To tag is set to {@code localTag} if the
   * request had none (RFC 3261 §8.2.6.2), and a Server header is added.
   */
  Response response(int code, Request request, String localTag) throws ParseException {
    Response response = messages.createResponse(code, request);
    if (code > 100 && localTag != null) {
      javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) response.getHeader("To");
      if (to.getTag() == null) {
        to.setTag(localTag);
      }
    }
    response.setHeader(copy(server));
    return response;
  }

  /** A response with a custom reason phrase, e.g. an admission hook's "Unregistered device". */
  Response response(int code, String reason, Request request, String localTag)
      throws ParseException {
    Response response = response(code, request, localTag);
    if (reason != null && !reason.isBlank()) {
      response.setReasonPhrase(reason);
    }
    return response;
  }

  void setSdp(Message message, String sdp) throws ParseException {
    message.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
  }

  /** Allow (RFC 3261 §20.5): one header per method, which JAIN-SIP encodes as one list. */
  void addAllow(Message message) throws ParseException {
    message.removeHeader("Allow");
    for (Header method : allow) {
      message.addHeader(copy(method));
    }
  }

  Header header(String name, String value) throws ParseException {
    return headers.createHeader(name, value);
  }

  /** A random tag for From/To (RFC 3261 §19.3: at least 32 bits of randomness). */
  static String newTag() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0x7fffffffffffffffL);
  }

  /** The SDP body of a message, or null if it has none. */
  /** The sequence number of a message's CSeq (RFC 3261 §8.1.1.5), or -1 without one. */
  static long cseq(Message message) {
    javax.sip.header.CSeqHeader h = (javax.sip.header.CSeqHeader) message.getHeader("CSeq");
    return h == null ? -1 : h.getSeqNumber();
  }

  static String sdpBody(Message message) {
    byte[] raw = message.getRawContent();
    if (raw == null || raw.length == 0) {
      return null;
    }
    return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * 503 with {@code Retry-After} (RFC 3261 §21.5.4, §20.33): the phone is overloaded; a proxy or
   * SIPp retries later or elsewhere instead of retransmitting into the overload.
   */
  Response overloaded(Request request) throws ParseException {
    Response r = response(Response.SERVICE_UNAVAILABLE, "Overloaded", request, newTag());
    try {
      r.setHeader(headers.createRetryAfterHeader(RETRY_AFTER_SECONDS));
    } catch (javax.sip.InvalidArgumentException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }

  private static final int RETRY_AFTER_SECONDS = 1;
}
