package org.callchain.ledger;

/**
 * What kind of call it was. The wire code of each constant is fixed forever (it is what the
 * canonical encoding stores); new constants get new codes.
 */
public enum CallType {
  AUDIO(1),
  VIDEO(2),
  LOAD_TEST(3),
  ;

  private final int code;

  CallType(int code) {
    this.code = code;
  }

  /** The wire code stored in the canonical encoding. */
  public int code() {
    return code;
  }

  /** The constant with wire code {@code code}, or {@code null} if there is none. */
  public static CallType fromCode(int code) {
    for (CallType v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    return null;
  }
}
