package org.callchain.ledger;

/**
 * The admission verdict on the call's INVITE, as the phone's admission hook decided it (design
 * brief, "Admission"; RFC 8224 §6.2 for the response codes). Wire codes are fixed forever.
 */
public enum AdmissionOutcome {
  /** Outgoing call: nothing to admit. */
  NOT_APPLICABLE(1),
  /** Verified Identity header from an active registered device. */
  ACCEPTED(2),
  /** Accepted by policy although it could not be verified (e.g. chain unreachable). */
  ACCEPTED_UNVERIFIED(3),
  /** 428 Use Identity Header. */
  REJECTED_NO_IDENTITY(4),
  /** 438 Invalid Identity Header. */
  REJECTED_INVALID_IDENTITY(5),
  /** 403, stale: the token's iat is outside the freshness window. */
  REJECTED_STALE(6),
  /** 403, the signing device is not registered. */
  REJECTED_UNREGISTERED(7),
  /** 403, the signing device was revoked (or rotated to a new key). */
  REJECTED_REVOKED(8),
  /** 403, the same token was already presented inside the freshness window. */
  REJECTED_REPLAYED(9),
  /** 403, the token's dest is not this device's identity. */
  REJECTED_WRONG_DESTINATION(10),
  /** 403, the signing device is registered for another SIP identity than the caller's. */
  REJECTED_NOT_BOUND(11),
  /** 503, the policy refuses every call while the registry view is too old to decide from. */
  REJECTED_REGISTRY_UNAVAILABLE(12),
  /** Rejected by the admission hook for another reason (e.g. the check itself failed). */
  REJECTED_OTHER(13);

  private final int code;

  AdmissionOutcome(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static AdmissionOutcome fromCode(int code) {
    for (AdmissionOutcome v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    return null;
  }
}
