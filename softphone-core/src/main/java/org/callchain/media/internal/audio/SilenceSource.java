package org.callchain.media.internal.audio;

import java.util.Arrays;

/** Digital silence. */
public final class SilenceSource implements AudioSource {
  @Override
  public void read(short[] out, int samples) {
    Arrays.fill(out, 0, samples, (short) 0);
  }
}
