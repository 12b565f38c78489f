package org.callchain.node.cli;

import java.io.PrintWriter;
import java.time.Instant;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallListener;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.RegistrationEvent;
import org.callchain.phone.RegistrationListener;

/**
 * Writes call and registration events one per line, {@code <UTC time> <call id> <what>}, so that
 * scripts can follow a headless phone with grep or awk.
 */
final class CallEventPrinter implements CallListener, RegistrationListener {
  private final PrintWriter out;

  CallEventPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onEvent(CallEvent event) {
    String id = event.call().id();
    print(id + " " + describe(event));
  }

  static String describe(CallEvent event) {
    if (event instanceof CallEvent.Outgoing e) {
      return "outgoing to " + e.call().remoteUri();
    } else if (event instanceof CallEvent.Admitted e) {
      return "admission "
          + e.verdict().text()
          + e.verdict().signer().map(d -> " signer=" + d).orElse("");
    } else if (event instanceof CallEvent.Incoming e) {
      return "incoming from " + e.call().remoteUri() + " (" + e.admissionVerdict() + ")";
    } else if (event instanceof CallEvent.StateChanged e) {
      return "state " + e.current();
    } else if (event instanceof CallEvent.MediaChanged e) {
      return "media "
          + e.media().codec().encodingName()
          + " to "
          + e.media().remoteRtp().getHostString()
          + ":"
          + e.media().remoteRtp().getPort()
          + " "
          + e.media().direction().sdpAttribute();
    } else if (event instanceof CallEvent.HoldChanged e) {
      return "hold local=" + e.localHold() + " remote=" + e.remoteHold();
    } else if (event instanceof CallEvent.TransferProgress e) {
      return "transfer " + e.sipCode() + " " + e.reason() + (e.finished() ? " (final)" : "");
    } else if (event instanceof CallEvent.TransferRequested e) {
      return "transfer requested to " + e.targetUri() + " as " + e.newCall().id();
    } else if (event instanceof CallEvent.DtmfReceived e) {
      return "dtmf " + e.digit();
    } else if (event instanceof CallEvent.Ended e) {
      return "ended " + summary(e.record());
    }
    return event.getClass().getSimpleName();
  }

  @Override
  public void onRegistration(RegistrationEvent e) {
    print(
        "registration "
            + e.state()
            + (e.sipCode() > 0 ? " " + e.sipCode() : "")
            + (e.reason().isEmpty() ? "" : " " + e.reason())
            + (e.expiresSeconds() > 0 ? " expires=" + e.expiresSeconds() + "s" : ""));
  }

  static String summary(FinishedCall r) {
    StringBuilder b = new StringBuilder();
    b.append(r.disposition()).append(' ').append(r.finalSipCode());
    if (!r.finalReason().isEmpty()) {
      b.append(' ').append(r.finalReason());
    }
    b.append(" talk=").append(Durations.format(r.talkMillis()));
    if (!r.media().codec().isEmpty()) {
      b.append(" codec=").append(r.media().codec());
      b.append(" rtp sent=").append(r.media().quality().packetsSent());
      b.append(" received=").append(r.media().quality().packetsReceived());
    }
    return b.toString();
  }

  synchronized void print(String line) {
    out.println(Instant.now() + " " + line);
    out.flush();
  }
}
