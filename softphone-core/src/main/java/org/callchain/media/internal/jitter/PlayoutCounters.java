package org.callchain.media.internal.jitter;

import org.callchain.media.JitterStatistics;

/**
 * The jitter buffer's counts behind {@link JitterStatistics}, and the attribution of underruns: the
 * frames concealed while playout waited for one packet are counted as that packet arriving late if
 * it comes after all, or as lost if playout gives it up. Not thread-safe: the jitter buffer's lock
 * guards it.
 */
final class PlayoutCounters {
  private long discarded;
  private long lost;
  private long concealed;
  private long underruns;
  private long underrunsPacketLate;
  private long underrunsPacketLost;

  /** The packet that playout waited for in the current underrun, and for how many frames. */
  private long awaitedSeq = Long.MIN_VALUE;

  private long awaitedFrames;
  private long late;
  private long duplicates;
  private long restarts;

  void discarded() {
    discarded++;
  }

  void late() {
    late++;
  }

  void duplicate() {
    duplicates++;
  }

  void lost(long packets) {
    lost += packets;
  }

  void concealed() {
    concealed++;
  }

  void restarted() {
    restarts++;
  }

  long restarts() {
    return restarts;
  }

  /** The buffer ran dry for one frame while playout waited for packet {@code awaited}. */
  void underrun(long awaited) {
    underruns++;
    if (awaitedSeq != awaited) {
      awaitedSeq = awaited;
      awaitedFrames = 0;
    }
    awaitedFrames++;
  }

  /** Packet {@code ext} arrived: if playout ran dry waiting for it, it was delayed, not lost. */
  void arrived(long ext) {
    if (ext == awaitedSeq) {
      underrunsPacketLate += awaitedFrames;
      awaitedSeq = Long.MIN_VALUE;
      awaitedFrames = 0;
    }
  }

  /** Numbers {@code [from, to)} are given up as lost: an underrun waiting for one was a loss. */
  void declaredLost(long from, long to) {
    if (awaitedSeq >= from && awaitedSeq < to) {
      underrunsPacketLost += awaitedFrames;
      awaitedSeq = Long.MIN_VALUE;
      awaitedFrames = 0;
    }
  }

  JitterStatistics statistics(double currentDelayMillis, double targetDelayMillis) {
    return new JitterStatistics(
        discarded,
        lost,
        concealed,
        underruns,
        underrunsPacketLate,
        underrunsPacketLost,
        late,
        duplicates,
        currentDelayMillis,
        targetDelayMillis);
  }
}
