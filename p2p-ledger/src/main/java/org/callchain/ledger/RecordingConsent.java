package org.callchain.ledger;

/**
 * What the parties agreed to about recording the call. The wire code of each constant is fixed
 * forever (it is what the canonical encoding stores); new constants get new codes.
 */
public enum RecordingConsent {
  NOT_RECORDED(1),
  ANNOUNCED(2),
  GRANTED(3),
  DECLINED(4),
  ;

  private final int code;

  RecordingConsent(int code) {
    this.code = code;
  }

  /** The wire code stored in the canonical encoding. */
  public int code() {
    return code;
  }

  /** The constant with wire code {@code code}, or {@code null} if there is none. */
  public static RecordingConsent fromCode(int code) {
    for (RecordingConsent v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    return null;
  }
}
