package org.callchain.ledger;

import java.util.Objects;

/** The admission verdict on the call and the reason shown to the user (may be empty). */
public record Admission(AdmissionOutcome outcome, String detail) {
  public Admission {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    CallRecord.checkText("admission detail", detail);
  }

  /** Outgoing calls are not admitted by anyone. */
  public static final Admission NOT_APPLICABLE = new Admission(AdmissionOutcome.NOT_APPLICABLE, "");
}
