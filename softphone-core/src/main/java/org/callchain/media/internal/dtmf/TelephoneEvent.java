package org.callchain.media.internal.dtmf;

/**
 * The RFC 4733 §2.3 telephone-event payload: event code, end bit, volume and duration, and the DTMF
 * event codes of §3.2 (0-9, * = 10, # = 11, A-D = 12-15).
 */
public final class TelephoneEvent {
  public static final int PAYLOAD_LENGTH = 4;

  private TelephoneEvent() {}

  /** The event code of a DTMF digit, or -1 if the character is not one. */
  public static int code(char digit) {
    if (digit >= '0' && digit <= '9') {
      return digit - '0';
    }
    return switch (Character.toUpperCase(digit)) {
      case '*' -> 10;
      case '#' -> 11;
      case 'A' -> 12;
      case 'B' -> 13;
      case 'C' -> 14;
      case 'D' -> 15;
      default -> -1;
    };
  }

  /** The digit of an event code 0..15, or 0 if the code is not a DTMF event. */
  public static char digit(int code) {
    return code >= 0 && code < 16 ? "0123456789*#ABCD".charAt(code) : 0;
  }

  public static void write(byte[] out, int off, int event, boolean end, int volume, int duration) {
    out[off] = (byte) event;
    out[off + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3F));
    out[off + 2] = (byte) (duration >> 8);
    out[off + 3] = (byte) duration;
  }
}
