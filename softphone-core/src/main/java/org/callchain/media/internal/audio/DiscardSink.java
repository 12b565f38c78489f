package org.callchain.media.internal.audio;

/** Throws received audio away (headless legs; the recording still gets it). */
public final class DiscardSink implements AudioSink {
  @Override
  public void write(short[] pcm, int samples) {
    // nothing to keep
  }
}
