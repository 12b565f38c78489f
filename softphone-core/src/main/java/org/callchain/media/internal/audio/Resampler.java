package org.callchain.media.internal.audio;

/**
 * Linear-interpolation sample-rate conversion, good enough for prompts and for putting an 8 kHz leg
 * into a 16 kHz recording; not a band-limited resampler (no anti-alias filter on the way down),
 * which is acceptable for speech prompts but would alias music.
 */
public final class Resampler {
  private Resampler() {}

  public static short[] convert(short[] in, int inRate, int outRate) {
    if (inRate == outRate || in.length == 0) {
      return in.clone();
    }
    int outLen = (int) ((long) in.length * outRate / inRate);
    short[] out = new short[outLen];
    double ratio = (double) inRate / outRate;
    for (int i = 0; i < outLen; i++) {
      double pos = i * ratio;
      int j = (int) pos;
      double frac = pos - j;
      int a = in[Math.min(j, in.length - 1)];
      int b = in[Math.min(j + 1, in.length - 1)];
      out[i] = (short) Math.round(a + (b - a) * frac);
    }
    return out;
  }
}
