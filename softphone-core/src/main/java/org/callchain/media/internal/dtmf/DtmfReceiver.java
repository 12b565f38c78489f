package org.callchain.media.internal.dtmf;

import java.util.ArrayList;
import java.util.List;

/**
 * Recognises RFC 4733 telephone-events in received packets and reports each digit once: when the
 * first end packet of an event arrives, or, if all its end packets were lost, when a packet of a
 * later event (another timestamp) arrives (§2.5.2.1). Retransmitted end packets and updates of an
 * already reported event are ignored. Used from the session's clock thread only.
 */
public final class DtmfReceiver {
  private long currentTs = -1;
  private int currentEvent = -1;
  private boolean currentReported;
  private long malformed;

  /** Digits completed by this packet, in order (usually none or one). */
  public List<Character> onPacket(byte[] data, int off, int len, long timestamp) {
    if (len < TelephoneEvent.PAYLOAD_LENGTH) {
      malformed++;
      return List.of();
    }
    int event = data[off] & 0xFF;
    boolean end = (data[off + 1] & 0x80) != 0;
    List<Character> digits = new ArrayList<>(1);
    if (timestamp != currentTs) {
      if (currentEvent >= 0 && !currentReported) {
        addDigit(digits, currentEvent);
      }
      currentTs = timestamp;
      currentEvent = event;
      currentReported = false;
    }
    if (end && !currentReported) {
      currentReported = true;
      addDigit(digits, currentEvent);
    }
    return digits;
  }

  private static void addDigit(List<Character> digits, int event) {
    char c = TelephoneEvent.digit(event);
    if (c != 0) {
      digits.add(c);
    }
  }

  public long malformed() {
    return malformed;
  }
}
