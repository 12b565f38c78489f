package org.callchain.media.internal.jitter;

import java.util.Arrays;

/**
 * The packets a {@link JitterBuffer} holds, in a ring of slots indexed by extended RTP sequence
 * number modulo the capacity (a power of two). Extended numbers are the 16-bit sequence number
 * extended by its wrap count as in RFC 3550 §A.1, so slot arithmetic never sees a wrap. The ring
 * holds numbers of a window {@code [first, first + capacity)}; the caller evicts from the front
 * before it puts a number beyond it.
 *
 * <p>Payloads are copied into byte arrays the ring keeps and reuses (a free list), so a steady
 * stream allocates nothing per packet. Not thread-safe: the jitter buffer's lock guards it.
 */
final class PacketRing {
  private static final long EMPTY = Long.MIN_VALUE;
  private static final int EVENT = -1;

  private final int mask;
  private final long[] ext;
  private final long[] timestamp;
  private final byte[][] data;
  private final int[] length;
  private final byte[][] spare;
  private int spareCount;
  private int size;
  private long first = EMPTY;
  private long last = EMPTY;

  PacketRing(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    mask = capacity - 1;
    ext = new long[capacity];
    timestamp = new long[capacity];
    data = new byte[capacity][];
    length = new int[capacity];
    spare = new byte[capacity][];
    Arrays.fill(ext, EMPTY);
  }

  int capacity() {
    return mask + 1;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  boolean contains(long seq) {
    return ext[slot(seq)] == seq;
  }

  /** Whether {@code seq} fits beside what is held without evicting anything. */
  boolean fits(long seq) {
    return size == 0 || Math.max(last, seq) - Math.min(first, seq) <= mask;
  }

  /**
   * Stores a packet; {@code payload == null} stores an entry without audio (an RFC 4733 event sent
   * in place of audio). The caller made room ({@link #fits}) and checked {@link #contains}.
   */
  void put(long seq, long extTs, byte[] payload, int offset, int len) {
    int i = slot(seq);
    if (ext[i] != EMPTY || !fits(seq)) {
      throw new IllegalStateException("slot of " + seq + " is taken or out of the window");
    }
    ext[i] = seq;
    timestamp[i] = extTs;
    if (payload == null) {
      length[i] = EVENT;
    } else {
      byte[] buf = take(len);
      System.arraycopy(payload, offset, buf, 0, len);
      data[i] = buf;
      length[i] = len;
    }
    if (size == 0) {
      first = seq;
      last = seq;
    } else {
      first = Math.min(first, seq);
      last = Math.max(last, seq);
    }
    size++;
  }

  long firstSeq() {
    return first;
  }

  long firstTimestamp() {
    return timestamp[slot(first)];
  }

  long lastTimestamp() {
    return timestamp[slot(last)];
  }

  boolean firstIsEvent() {
    return length[slot(first)] == EVENT;
  }

  byte[] firstPayload() {
    return data[slot(first)];
  }

  int firstLength() {
    return length[slot(first)];
  }

  /** Removes the lowest held number; the payload array returns to the free list. */
  void removeFirst() {
    int i = slot(first);
    release(i);
    size--;
    if (size == 0) {
      first = EMPTY;
      last = EMPTY;
      return;
    }
    long s = first + 1;
    while (ext[slot(s)] != s) {
      s++;
    }
    first = s;
  }

  void clear() {
    for (int i = 0; i <= mask; i++) {
      if (ext[i] != EMPTY) {
        release(i);
      }
    }
    size = 0;
    first = EMPTY;
    last = EMPTY;
  }

  private void release(int i) {
    ext[i] = EMPTY;
    if (data[i] != null) {
      spare[spareCount++] = data[i];
      data[i] = null;
    }
  }

  private byte[] take(int len) {
    if (spareCount > 0) {
      byte[] b = spare[--spareCount];
      spare[spareCount] = null;
      if (b.length >= len) {
        return b;
      }
    }
    // 160 bytes is a 20 ms G.711 frame; larger payloads get an array of their own size
    return new byte[Math.max(len, 160)];
  }

  private int slot(long seq) {
    return (int) (seq & mask);
  }
}
