package org.callchain.phone.internal.sdp;

/** An SDP body could not be parsed, or offer and answer have nothing in common. */
public class SdpException extends Exception {
  private final boolean noCommonCodec;

  public SdpException(String message) {
    this(message, false);
  }

  private SdpException(String message, boolean noCommonCodec) {
    super(message);
    this.noCommonCodec = noCommonCodec;
  }

  static SdpException noCommonCodec(String message) {
    return new SdpException(message, true);
  }

  /** True when the SDP was well formed but no codec matched (answer 488, RFC 3261 §13.3.1.3). */
  public boolean noCommonCodec() {
    return noCommonCodec;
  }
}
