package org.callchain.phone.internal.jainsip;

import java.net.InetSocketAddress;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.message.Response;
import org.callchain.media.MediaOutcome;
import org.callchain.phone.CallDirection;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.spi.AdmissionVerdict;

/**
 * What a call's {@link FinishedCall} record will say, gathered while the call runs: when it started
 * and was answered, the final SIP status, where the peer's signalling came from, and the admission
 * verdict; {@link #record} puts them together with the dialog's tags and the media outcome.
 *
 * <p>Guarded by the call's lock.
 */
final class CallRecordFacts {
  private final JainSipCall call;
  private final long startMillis = System.currentTimeMillis();

  private Long answerMillis;
  private int finalCode;
  private String finalReason = "";
  private String remoteSipAddress;
  private AdmissionVerdict admissionVerdict;

  CallRecordFacts(JainSipCall call, String remoteSipAddress) {
    this.call = call;
    this.remoteSipAddress = remoteSipAddress;
  }

  /** The first 2xx: the call is answered, and its final status is 200 OK. */
  void markAnswered() {
    synchronized (call) {
      if (answerMillis == null) {
        answerMillis = System.currentTimeMillis();
        finalCode = Response.OK;
        finalReason = "OK";
      }
    }
  }

  /** Where responses really came from (RFC 3581), when the stack tells. */
  void setRemoteSipAddress(String address) {
    synchronized (call) {
      if (address != null) {
        remoteSipAddress = address;
      }
    }
  }

  void setAdmissionVerdict(AdmissionVerdict verdict) {
    synchronized (call) {
      admissionVerdict = verdict;
    }
  }

  int finalCode() {
    synchronized (call) {
      return finalCode;
    }
  }

  /** The call ends: an unanswered call's final status is the one it ended with. */
  void ended(int code, String reason) {
    synchronized (call) {
      if (answerMillis == null) {
        finalCode = code;
        finalReason = reason == null ? "" : reason;
      }
    }
  }

  /** The record of the ended call; {@code remoteRtp} is the peer's {@code host:port} when known. */
  FinishedCall record(
      CallDisposition disposition,
      long endMillis,
      Optional<InetSocketAddress> localRtp,
      Optional<String> remoteRtp,
      MediaOutcome outcome) {
    synchronized (call) {
      boolean outgoing = call.direction() == CallDirection.OUTGOING;
      Dialog dialog = call.dialog;
      return new FinishedCall(
          call.id(),
          dialog != null && dialog.getLocalTag() != null ? dialog.getLocalTag() : localTag(),
          dialog != null && dialog.getRemoteTag() != null ? dialog.getRemoteTag() : "",
          outgoing ? call.localUri() : call.remoteUri(),
          outgoing ? call.remoteUri() : call.localUri(),
          call.direction(),
          startMillis,
          Optional.ofNullable(answerMillis),
          endMillis,
          answerMillis != null ? CallDisposition.ANSWERED : disposition,
          finalCode,
          finalReason,
          call.transport,
          call.phone.hostPort(),
          remoteSipAddress == null ? "" : remoteSipAddress,
          localRtp.map(
              a ->
                  (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString())
                      + ":"
                      + a.getPort()),
          remoteRtp,
          Optional.ofNullable(admissionVerdict),
          outcome);
    }
  }

  /** Our tag before the dialog exists (the call ended early). */
  private String localTag() {
    if (call.outgoing != null) {
      return call.outgoing.fromTag;
    }
    return call.incoming != null ? call.incoming.toTag : "";
  }
}
