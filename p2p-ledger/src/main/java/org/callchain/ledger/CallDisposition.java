package org.callchain.ledger;

/**
 * How the call ended, as the user would put it. The wire code of each constant is fixed forever (it
 * is what the canonical encoding stores); new constants get new codes.
 */
public enum CallDisposition {
  ANSWERED(1),
  NO_ANSWER(2),
  BUSY(3),
  REJECTED(4),
  CANCELLED(5),
  FAILED(6),
  ;

  private final int code;

  CallDisposition(int code) {
    this.code = code;
  }

  /** The wire code stored in the canonical encoding. */
  public int code() {
    return code;
  }

  /** The constant with wire code {@code code}, or {@code null} if there is none. */
  public static CallDisposition fromCode(int code) {
    for (CallDisposition v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    return null;
  }
}
