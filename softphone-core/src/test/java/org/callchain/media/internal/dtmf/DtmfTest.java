package org.callchain.media.internal.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4733 telephone-events: the packets a digit becomes and how a receiver reads them. */
class DtmfTest {

  @Test
  void aDigitIsFivePacketsThenThreeEndPacketsWithTheSameTimestamp() {
    DtmfSender s = new DtmfSender(8000);
    s.enqueue('#');
    List<DtmfSender.EventPacket> packets = new ArrayList<>();
    long ts = 1000;
    for (int i = 0; i < 10; i++, ts += 160) {
      DtmfSender.EventPacket p = s.next(ts, 20);
      if (p != null) {
        packets.add(p);
      }
    }
    // 100 ms at 20 ms: durations 160..800; the last (800) is the end, sent three times
    assertEquals(7, packets.size());
    assertTrue(packets.get(0).marker(), "§2.5.1.2: the first packet has the marker bit");
    for (int i = 0; i < packets.size(); i++) {
      DtmfSender.EventPacket p = packets.get(i);
      assertEquals(1000, p.timestamp(), "all packets carry the event start");
      assertEquals(11, p.payload()[0]);
      int duration = ((p.payload()[2] & 0xFF) << 8) | (p.payload()[3] & 0xFF);
      boolean end = (p.payload()[1] & 0x80) != 0;
      assertEquals(Math.min(800, 160 * (i + 1)), duration);
      assertEquals(i >= 4, end, "packet " + i);
      assertEquals(10, p.payload()[1] & 0x3F, "volume -10 dBm0");
      if (i > 0) {
        assertFalse(p.marker());
      }
    }
    assertTrue(s.idle());
  }

  @Test
  void digitsAreSeparatedByAudio() {
    DtmfSender s = new DtmfSender(8000);
    s.enqueue('1');
    s.enqueue('2');
    List<Long> timestamps = new ArrayList<>();
    int audioBetween = 0;
    boolean inGap = false;
    for (long ts = 0; ts < 160 * 30; ts += 160) {
      DtmfSender.EventPacket p = s.next(ts, 20);
      if (p == null) {
        audioBetween += timestamps.isEmpty() ? 0 : 1;
        inGap = true;
      } else if (timestamps.isEmpty() || inGap) {
        timestamps.add(p.timestamp());
        inGap = false;
      }
    }
    assertEquals(2, timestamps.size());
    assertTrue(audioBetween >= 3, "a 60 ms pause between events");
    assertThrows(IllegalArgumentException.class, () -> s.enqueue('x'));
  }

  @Test
  void receiverReportsEachDigitOnceEvenWithoutEndPackets() {
    DtmfReceiver r = new DtmfReceiver();
    List<Character> got = new ArrayList<>();
    byte[] p = new byte[4];
    TelephoneEvent.write(p, 0, 5, false, 10, 160);
    got.addAll(r.onPacket(p, 0, 4, 100));
    TelephoneEvent.write(p, 0, 5, true, 10, 800);
    got.addAll(r.onPacket(p, 0, 4, 100));
    got.addAll(r.onPacket(p, 0, 4, 100)); // redundant end packets
    got.addAll(r.onPacket(p, 0, 4, 100));
    TelephoneEvent.write(p, 0, 12, false, 10, 160); // 'A' whose end packets are all lost
    got.addAll(r.onPacket(p, 0, 4, 2000));
    TelephoneEvent.write(p, 0, 0, false, 10, 160); // next event reveals that 'A' ended
    got.addAll(r.onPacket(p, 0, 4, 4000));
    assertEquals(List.of('5', 'A'), got);
    assertEquals(List.of(), r.onPacket(p, 0, 3, 5000));
    assertEquals(1, r.malformed());
  }

  @Test
  void eventCodesOfRfc4733Section3() {
    assertEquals(10, TelephoneEvent.code('*'));
    assertEquals(11, TelephoneEvent.code('#'));
    assertEquals(15, TelephoneEvent.code('d'));
    assertEquals(-1, TelephoneEvent.code('E'));
    assertEquals('B', TelephoneEvent.digit(13));
    assertEquals(0, TelephoneEvent.digit(16));
  }
}
