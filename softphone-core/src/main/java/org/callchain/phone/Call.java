package org.callchain.phone;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.callchain.media.MediaDescription;

/**
 * One call leg (one INVITE dialog). Methods that change the call send SIP and return at once; they
 * throw {@link IllegalStateException} when the call is not in a state that allows them (for example
 * {@link #answer()} on an outgoing call). The outcome arrives as {@link CallEvent}s.
 */
public interface Call {

  /** The SIP Call-ID. */
  String id();

  CallDirection direction();

  /** The other party's URI (the To of an outgoing call, the From of an incoming one). */
  String remoteUri();

  /** The other party's display name, when the peer sent one. */
  Optional<String> remoteDisplayName();

  /** This side's URI in the dialog (From of outgoing calls, To of incoming ones). */
  String localUri();

  CallState state();

  /** The media stream as last negotiated, once an answer was exchanged. */
  Optional<MediaDescription> media();

  /** True while this side has put the call on hold. */
  boolean isLocalHold();

  /** True while the peer has put the call on hold. */
  boolean isRemoteHold();

  /** Answers an {@link CallState#INCOMING} call with 200 OK and the SDP answer. */
  void answer();

  /**
   * Refuses an {@link CallState#INCOMING} call with a final response, e.g. 486 Busy Here or 603
   * Decline (RFC 3261 §21.4.7, §21.6.2).
   */
  void reject(int sipCode);

  /**
   * Ends the call whatever its state: BYE when established, CANCEL for an outgoing call not yet
   * answered (RFC 3261 §9), 603 Decline for an incoming call not yet answered.
   */
  void hangup();

  /** Puts an established call on hold by re-INVITE with {@code a=sendonly} (RFC 3264 §8.4). */
  void hold();

  /** Resumes a held call by re-INVITE with {@code a=sendrecv}. */
  void resume();

  /**
   * Asks the peer to call {@code targetUri} instead (REFER, RFC 3515) and follows its NOTIFYs
   * ({@link CallEvent.TransferProgress}); when the new call is answered this call is hung up.
   */
  void blindTransfer(String targetUri);

  /** Sends one DTMF digit (0-9, *, #, A-D) through the media session (RFC 4733). */
  void sendDtmf(char digit);

  /** Completes with the call's record when it ends. */
  CompletableFuture<FinishedCall> finished();

  /** Receives the events of this call only. */
  void addListener(CallListener listener);
}
