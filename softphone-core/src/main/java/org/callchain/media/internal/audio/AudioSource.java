package org.callchain.media.internal.audio;

/** Audio to send: fills one frame of 16-bit mono PCM at the rate it was opened with. */
public interface AudioSource extends AutoCloseable {
  void read(short[] out, int samples);

  @Override
  default void close() {}
}
