package org.callchain.media.internal.jitter;

import java.util.Arrays;

/**
 * The decoded audio of the packet being played, handed out in playout frames. A packet of one
 * duration is sliced into frames of another, and a resampled packet no longer ends on a frame
 * boundary, so what is left of it waits here for the next frame. Not thread-safe: the jitter
 * buffer's lock guards it.
 */
final class PlayoutFifo {
  private short[] samples;
  private int position;
  private int length;

  PlayoutFifo(int capacity) {
    samples = new short[capacity];
  }

  /** Samples not yet handed out. */
  int remaining() {
    return length - position;
  }

  /** Copies up to {@code n} samples to {@code out[at..]}; returns how many. */
  int take(short[] out, int at, int n) {
    int k = Math.min(n, remaining());
    System.arraycopy(samples, position, out, at, k);
    position += k;
    return k;
  }

  void silence(int n) {
    ensure(n);
    Arrays.fill(samples, 0, n, (short) 0);
    position = 0;
    length = n;
  }

  void put(short[] pcm, int n) {
    ensure(n);
    System.arraycopy(pcm, 0, samples, 0, n);
    position = 0;
    length = n;
  }

  /** Puts {@code pcm[0..n)} resampled to {@code m} samples ({@link PlayoutRate#resample}). */
  void putResampled(short[] pcm, int n, int m) {
    ensure(m);
    PlayoutRate.resample(pcm, n, samples, m);
    position = 0;
    length = m;
  }

  private void ensure(int n) {
    if (samples.length < n) {
      samples = new short[n];
    }
  }
}
