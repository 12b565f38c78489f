package org.callchain.ledger;

import java.util.Objects;
import java.util.Optional;
import org.callchain.identity.DeviceAddress;

/**
 * The admission verdict on the call: its outcome, the reason shown to the user (may be empty), and
 * the device whose signature on the INVITE's Identity header verified, if one did (also when the
 * call was refused, e.g. an unregistered or revoked device; see docs/identity.md). For a rejected
 * call the SIP code and reason of the refusal are the record's {@code sipCode}/{@code sipReason}.
 */
public record Admission(AdmissionOutcome outcome, String detail, Optional<DeviceAddress> signer) {
  public Admission {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(signer, "signer");
    CallRecord.checkText("admission detail", detail);
  }

  /** A verdict that names no signing device. */
  public Admission(AdmissionOutcome outcome, String detail) {
    this(outcome, detail, Optional.empty());
  }

  /** Outgoing calls are not admitted by anyone. */
  public static final Admission NOT_APPLICABLE = new Admission(AdmissionOutcome.NOT_APPLICABLE, "");
}
