package org.callchain.phone;

/**
 * The life of one call as the user sees it. Hold is not a state but a flag of an {@link
 * #ESTABLISHED} call ({@link Call#isLocalHold()}, {@link Call#isRemoteHold()}), because a held call
 * is still a confirmed dialog (RFC 3261 §12).
 */
public enum CallState {
  /** Outgoing: the INVITE is sent, no provisional response yet. */
  CALLING,
  /** Outgoing: the callee is alerting (180) or sends early media (183). */
  RINGING,
  /** Incoming: admitted and alerting; {@link Call#answer()} or {@link Call#reject(int)} next. */
  INCOMING,
  /** Incoming: answered with 200, waiting for the ACK (RFC 3261 §13.3.1.4). */
  CONNECTING,
  /** The dialog is confirmed and media flows (or is held). */
  ESTABLISHED,
  /** A BYE or CANCEL is on its way; the call ends when it completes or times out. */
  TERMINATING,
  /** Finished; {@link Call#finished()} holds the outcome. */
  ENDED;

  /** True once the call cannot change any more. */
  public boolean isFinal() {
    return this == ENDED;
  }
}
