package org.callchain.media.internal.jitter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The ring of slots behind the jitter buffer. Numbers are extended sequence numbers as RFC 3550
 * §A.1 builds them: {@code cycles + seq}, where {@code cycles} counts 16-bit wraps in units of
 * 2^16.
 */
class PacketRingTest {
  private static final long CYCLE = 1L << 16;

  private static byte[] payload(int value) {
    byte[] b = new byte[160];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void keepsNumbersAcrossTheSixteenBitWrapInSequenceOrder() {
    PacketRing ring = new PacketRing(16);
    // 65534, 65535 of cycle 0, then 0, 1 of cycle 1, inserted out of order
    long[] order = {CYCLE + 1, 65534, CYCLE, 65535};
    for (long ext : order) {
      ring.put(ext, ext * 160, payload((int) (ext & 0x7F)), 0, 160);
    }
    assertEquals(4, ring.size());
    long[] expected = {65534, 65535, CYCLE, CYCLE + 1};
    for (long ext : expected) {
      assertEquals(ext, ring.firstSeq());
      assertEquals(ext * 160, ring.firstTimestamp());
      assertEquals((byte) (ext & 0x7F), ring.firstPayload()[0]);
      ring.removeFirst();
    }
    assertTrue(ring.isEmpty());
  }

  @Test
  void aDuplicateFindsItsSlotTaken() {
    PacketRing ring = new PacketRing(16);
    ring.put(CYCLE + 3, 0, payload(1), 0, 160);
    assertTrue(ring.contains(CYCLE + 3));
    // the same 16-bit number one cycle earlier maps to the same slot but is another packet
    assertFalse(ring.contains(3));
    assertThrows(IllegalStateException.class, () -> ring.put(CYCLE + 3, 0, payload(1), 0, 160));
  }

  @Test
  void holdsAWindowOfCapacityNumbersAndNoMore() {
    PacketRing ring = new PacketRing(16);
    ring.put(100, 0, payload(1), 0, 160);
    assertTrue(ring.fits(115), "first + capacity - 1 fits");
    assertFalse(ring.fits(116), "first + capacity would share the first one's slot");
    assertFalse(ring.fits(84), "as far below the first one neither");
    ring.put(115, 15 * 160, payload(2), 0, 160);
    assertEquals(15 * 160, ring.lastTimestamp());
    assertThrows(IllegalStateException.class, () -> ring.put(116, 0, payload(3), 0, 160));
  }

  @Test
  void removingTheFirstSkipsOverMissingNumbers() {
    PacketRing ring = new PacketRing(8);
    ring.put(10, 1, payload(1), 0, 160);
    ring.put(14, 2, payload(2), 0, 160);
    ring.removeFirst();
    assertEquals(14, ring.firstSeq());
    assertEquals(2, ring.lastTimestamp());
    assertTrue(ring.fits(21));
  }

  @Test
  void copiesPayloadsAndReusesTheirArrays() {
    PacketRing ring = new PacketRing(8);
    byte[] received = payload(7);
    ring.put(1, 0, received, 12, 100);
    byte[] stored = ring.firstPayload();
    received[12] = 99; // the receive buffer is reused for the next datagram
    assertEquals(7, stored[0]);
    assertEquals(100, ring.firstLength());
    ring.removeFirst();
    ring.put(2, 0, payload(8), 0, 160);
    assertSame(stored, ring.firstPayload(), "a steady stream allocates no new arrays");
    assertArrayEquals(payload(8), Arrays.copyOf(ring.firstPayload(), 160));
  }

  @Test
  void anEventEntryHasNoAudio() {
    PacketRing ring = new PacketRing(8);
    ring.put(5, 800, null, 0, 0);
    assertTrue(ring.firstIsEvent());
    ring.clear();
    assertTrue(ring.isEmpty());
    assertFalse(ring.contains(5));
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new PacketRing(100));
  }
}
