package org.callchain.ledger;

/**
 * The SIP transport the call's signalling used. The wire code of each constant is fixed forever (it
 * is what the canonical encoding stores); new constants get new codes.
 */
public enum CallTransport {
  UDP(1),
  TCP(2),
  TLS(3),
  WS(4),
  WSS(5),
  ;

  private final int code;

  CallTransport(int code) {
    this.code = code;
  }

  /** The wire code stored in the canonical encoding. */
  public int code() {
    return code;
  }

  /** The constant with wire code {@code code}, or {@code null} if there is none. */
  public static CallTransport fromCode(int code) {
    for (CallTransport v : values()) {
      if (v.code == code) {
        return v;
      }
    }
    return null;
  }
}
