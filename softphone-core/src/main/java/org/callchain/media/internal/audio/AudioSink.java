package org.callchain.media.internal.audio;

/** Audio received: takes one frame of 16-bit mono PCM at the rate it was opened with. */
public interface AudioSink extends AutoCloseable {
  void write(short[] pcm, int samples);

  @Override
  default void close() {}
}
