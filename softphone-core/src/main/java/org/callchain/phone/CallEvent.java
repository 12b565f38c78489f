package org.callchain.phone;

import org.callchain.media.MediaDescription;
import org.callchain.phone.spi.AdmissionVerdict;

/** Something that happened to a call. Switch over the records to react. */
public sealed interface CallEvent {

  /** The call the event is about. */
  Call call();

  /** This phone sent an INVITE; the call is {@link CallState#CALLING}. */
  record Outgoing(Call call) implements CallEvent {}

  /**
   * The admission hook decided on an incoming INVITE, before any 180: fired for every verdict,
   * acceptance or rejection, so a user sees who is really calling and who was refused. An accepted
   * call continues with {@link Incoming}; a rejected one ends.
   */
  record Admitted(Call call, AdmissionVerdict verdict) implements CallEvent {}

  /** An incoming INVITE passed admission and is alerting; answer or reject it. */
  record Incoming(Call call, String admissionVerdict) implements CallEvent {}

  /** The call moved from one state to another. */
  record StateChanged(Call call, CallState previous, CallState current) implements CallEvent {}

  /** An offer/answer exchange completed and the media session got this description. */
  record MediaChanged(Call call, MediaDescription media) implements CallEvent {}

  /** Either side put the call on hold or resumed it. */
  record HoldChanged(Call call, boolean localHold, boolean remoteHold) implements CallEvent {}

  /** A NOTIFY reported the progress of a transfer this side asked for (RFC 3515 §2.4.5). */
  record TransferProgress(Call call, int sipCode, String reason, boolean finished)
      implements CallEvent {}

  /** The peer asked this side (REFER) to call {@code targetUri}; the new call is placed. */
  record TransferRequested(Call call, String targetUri, Call newCall) implements CallEvent {}

  /** A DTMF digit arrived from the peer. */
  record DtmfReceived(Call call, char digit) implements CallEvent {}

  /** The call ended; {@code record} holds what a call detail record needs. */
  record Ended(Call call, FinishedCall record) implements CallEvent {}
}
