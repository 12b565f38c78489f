package org.callchain.node.admission;

import java.util.Objects;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.phone.spi.AdmissionVerdict;

/**
 * {@link IdentityAdmission}'s decision on one INVITE, as its verdict listener (metrics, logs) gets
 * it. The phone gets the same verdict as an {@link AdmissionVerdict} ({@link #toAdmissionVerdict})
 * and the call record keeps it ({@code CallRecords}).
 *
 * @param callId the INVITE's Call-ID
 * @param outcome which check decided
 * @param sipCode the response code of a rejection, 0 when accepted
 * @param reason the reason phrase of a rejection, or the note of an acceptance
 * @param detail why, in more words than the reason phrase (for logs), e.g. the malformed part
 * @param device the device whose signature verified (also on a rejection after the signature
 *     check), empty before that
 */
public record IdentityVerdict(
    String callId,
    AdmissionOutcome outcome,
    int sipCode,
    String reason,
    String detail,
    Optional<DeviceAddress> device) {

  public IdentityVerdict {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(device, "device");
  }

  public boolean accepted() {
    return outcome == AdmissionOutcome.ACCEPTED;
  }

  /** The verdict as the phone's SPI carries it: outcome by name, device as lowercase hex. */
  public AdmissionVerdict toAdmissionVerdict() {
    return new AdmissionVerdict(
        accepted(), sipCode, reason, outcome.name(), device.map(DeviceAddress::toHex));
  }
}
