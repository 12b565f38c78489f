package org.callchain.media.internal.jitter;

/**
 * The received stream's source and numbering: which SSRC the jitter buffer plays, its sequence
 * numbers and timestamps extended past their 16- and 32-bit wrap (RFC 3550 §A.1), and the probation
 * that a new SSRC or a sequence jump must pass, two consecutive packets, before the buffer restarts
 * on it. Not thread-safe: the jitter buffer's lock guards it.
 */
final class SourceSequence {
  /** What a packet means for the stream being played. */
  enum Admission {
    /** A packet of the stream being played. */
    CURRENT,
    /** The first packet since the start or a reset: the buffer starts on it. */
    FIRST,
    /** A new SSRC or a sequence jump passed probation: the buffer restarts on it. */
    SWITCHED,
    /** A new SSRC or a sequence jump on probation: the packet is discarded. */
    PROBATION
  }

  private static final int MAX_DROPOUT = 3000;
  private static final int MAX_MISORDER = 100;

  private boolean haveStream;
  private long ssrc;
  private long highestExt;
  private long lastExtTs;
  private long candidateSsrc = -1;
  private int candidateNextSeq = -1;
  private int badNextSeq = -1;

  /** Decides what a packet means for the stream; on FIRST or SWITCHED, it restarts on it. */
  Admission admit(long packetSsrc, int seq, long timestamp) {
    Admission result = Admission.CURRENT;
    if (!haveStream) {
      restart(packetSsrc, seq, timestamp);
      result = Admission.FIRST;
    } else if (packetSsrc != ssrc) {
      // RFC 3550 A.1 spirit: a new source must send two packets in sequence before we switch.
      if (packetSsrc == candidateSsrc && seq == candidateNextSeq) {
        restart(packetSsrc, seq, timestamp);
        result = Admission.SWITCHED;
      } else {
        candidateSsrc = packetSsrc;
        candidateNextSeq = (seq + 1) & 0xFFFF;
        return Admission.PROBATION;
      }
    }
    long delta = extendedSeq(seq) - highestExt;
    if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) {
      if (seq == badNextSeq) {
        restart(packetSsrc, seq, timestamp);
        result = Admission.SWITCHED;
      } else {
        badNextSeq = (seq + 1) & 0xFFFF;
        return Admission.PROBATION;
      }
    }
    badNextSeq = -1;
    return result;
  }

  private void restart(long newSsrc, int seq, long timestamp) {
    haveStream = true;
    ssrc = newSsrc;
    highestExt = seq;
    lastExtTs = timestamp;
    candidateSsrc = -1;
    badNextSeq = -1;
  }

  /** The extended sequence number closest to the highest one seen (RFC 3550 A.1 arithmetic). */
  long extendedSeq(int seq) {
    int diff = (short) (seq - (int) (highestExt & 0xFFFF));
    return highestExt + diff;
  }

  /** The extended timestamp closest to the latest one seen; it advances the latest. */
  long extendedTimestamp(long ts) {
    int diff = (int) (ts - (lastExtTs & 0xFFFFFFFFL));
    long ext = lastExtTs + diff;
    if (ext > lastExtTs) {
      lastExtTs = ext;
    }
    return ext;
  }

  /** Packet {@code ext} is taken into the buffer: it may be the highest yet. */
  void accepted(long ext) {
    if (ext > highestExt) {
      highestExt = ext;
    }
  }

  /** The next packet starts a new stream, whatever its SSRC and number. */
  void reset() {
    haveStream = false;
  }
}
