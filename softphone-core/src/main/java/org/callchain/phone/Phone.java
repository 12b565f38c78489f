package org.callchain.phone;

import java.util.List;
import org.callchain.phone.internal.jainsip.JainSipPhone;

/**
 * A SIP user agent: it listens on the configured transports, keeps its registration alive, answers
 * OPTIONS, and places and receives calls. Every method is thread-safe; events reach listeners on
 * one event thread per phone, in order.
 *
 * <p>Start one with {@link #start(PhoneConfig)}; {@link #close()} hangs up every call, un-REGISTERs
 * (RFC 3261 §10.2.2) and releases the sockets.
 */
public interface Phone extends AutoCloseable {

  /** Binds the sockets, starts the SIP stack and, with an account, the first REGISTER. */
  static Phone start(PhoneConfig config) throws PhoneException {
    return JainSipPhone.start(config);
  }

  /**
   * Sends an INVITE to {@code targetUri} ({@code sip:bob@host[:port][;transport=tcp]}) and returns
   * the call at once, in {@link CallState#CALLING}; its progress arrives as {@link CallEvent}s.
   *
   * @throws PhoneException if the URI is not a SIP URI, the media session cannot open, or the
   *     request cannot be sent
   */
  Call call(String targetUri, CallOptions options) throws PhoneException;

  /** The calls that have not ended yet. */
  List<Call> activeCalls();

  void addCallListener(CallListener listener);

  void removeCallListener(CallListener listener);

  void addRegistrationListener(RegistrationListener listener);

  void removeRegistrationListener(RegistrationListener listener);

  /** The registration state now ({@link RegistrationState#NONE} without an account). */
  RegistrationState registrationState();

  /** The SIP port actually bound (the same for every transport). */
  int sipPort();

  /** This phone's own SIP URI, e.g. {@code sip:alice@127.0.0.1:5071}, to call it directly. */
  String localUri();

  /** The configuration this phone started with. */
  PhoneConfig config();

  /**
   * Hangs up every call, un-REGISTERs (waiting up to a few seconds for the registrar), and stops
   * the SIP stack.
   */
  @Override
  void close();
}
