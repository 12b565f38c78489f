package org.callchain.ledger;

/**
 * The side of the call this record was written by. The wire code of each constant is fixed forever
 * (it is what the canonical encoding stores); new constants get new codes.
 */
public enum CallDirection {
  OUTGOING(1),
  INCOMING(2),
  ;

  private final int code;

  CallDirection(int code) {
    this.code = code;
  }

  /** The wire code stored in the canonical encoding. */
  public int code() {
    return code;
  }

  /** The constant with wire code {@code code}, or {@code null} if there is none. */
  public static CallDirection fromCode(int code) {
    for (CallDirection v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    return null;
  }
}
