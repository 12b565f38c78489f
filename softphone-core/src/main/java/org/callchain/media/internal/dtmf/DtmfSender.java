package org.callchain.media.internal.dtmf;

import java.util.ArrayDeque;

/**
 * Turns queued digits into RFC 4733 telephone-event packets, one per packetization interval,
 * instead of audio. Each event lasts {@link #TONE_MILLIS}: its packets share the event's start
 * timestamp, the first has the marker bit (§2.5.1.2), the duration grows by one interval per
 * packet, and the end packet is sent three times with the same duration (§2.5.1.4 end-of-event
 * redundancy). A {@link #GAP_MILLIS} pause of ordinary audio separates two events. Used from the
 * clock thread; digits may be queued from any thread.
 */
public final class DtmfSender {
  public static final int TONE_MILLIS = 100;
  public static final int GAP_MILLIS = 60;
  static final int END_REPEATS = 3;
  private static final int VOLUME = 10; // -10 dBm0

  /** One packet to send in place of audio. */
  public record EventPacket(byte[] payload, long timestamp, boolean marker) {}

  private final ArrayDeque<Character> queue = new ArrayDeque<>();
  private final int eventClockRate;
  private int event = -1;
  private long startTs;
  private int duration;
  private int endsSent;
  private int gapLeftMillis;

  /**
   * False while nothing is queued, sent or waited for: then {@link #next} returns at once without
   * the lock. It runs on the clock thread for every frame of every call (bench/media profile).
   */
  private volatile boolean busy;

  public DtmfSender(int eventClockRate) {
    this.eventClockRate = eventClockRate;
  }

  public synchronized void enqueue(char digit) {
    if (TelephoneEvent.code(digit) < 0) {
      throw new IllegalArgumentException("not a DTMF digit: '" + digit + "'");
    }
    queue.add(digit);
    busy = true;
  }

  public synchronized boolean idle() {
    return event < 0 && queue.isEmpty();
  }

  /**
   * The packet to send in this interval, or null to send audio.
   *
   * @param audioTs the RTP timestamp audio would carry in this interval
   * @param ptimeMillis the interval length
   */
  public EventPacket next(long audioTs, int ptimeMillis) {
    if (!busy) {
      return null;
    }
    synchronized (this) {
      EventPacket p = nextLocked(audioTs, ptimeMillis);
      busy = event >= 0 || gapLeftMillis > 0 || !queue.isEmpty();
      return p;
    }
  }

  private EventPacket nextLocked(long audioTs, int ptimeMillis) {
    if (event < 0) {
      if (gapLeftMillis > 0) {
        gapLeftMillis -= ptimeMillis;
        return null;
      }
      Character d = queue.poll();
      if (d == null) {
        return null;
      }
      event = TelephoneEvent.code(d);
      startTs = audioTs;
      duration = 0;
      endsSent = 0;
    }
    int step = eventClockRate / 1000 * ptimeMillis;
    boolean first = duration == 0;
    int total = eventClockRate / 1000 * TONE_MILLIS;
    if (duration < total) {
      duration = Math.min(0xFFFF, duration + step);
    }
    boolean end = duration >= total;
    byte[] payload = new byte[TelephoneEvent.PAYLOAD_LENGTH];
    TelephoneEvent.write(payload, 0, event, end, VOLUME, duration);
    EventPacket p = new EventPacket(payload, startTs, first);
    if (end && ++endsSent >= END_REPEATS) {
      event = -1;
      gapLeftMillis = GAP_MILLIS;
    }
    return p;
  }
}
