package org.callchain.media.internal.audio;

/**
 * An endless sine at -10 dBFS, phase-continuous across frames. Samples come from a 4096-entry table
 * with linear interpolation (error below -90 dB), because a load test runs thousands of these and
 * {@link Math#sin} per sample would cost more than the codec.
 */
public final class ToneSource implements AudioSource {
  static final double AMPLITUDE = 32767 * 0.316;
  private static final int TABLE_BITS = 12;
  private static final int TABLE_SIZE = 1 << TABLE_BITS;
  private static final float[] SINE = new float[TABLE_SIZE + 1];

  static {
    for (int i = 0; i <= TABLE_SIZE; i++) {
      SINE[i] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * i / TABLE_SIZE));
    }
  }

  /** Phase as a 32-bit fraction of a cycle; wraps around by integer overflow. */
  private int phase;

  private final int step;

  public ToneSource(double frequencyHz, int sampleRate) {
    this.step = (int) Math.round(frequencyHz / sampleRate * 4294967296.0);
  }

  @Override
  public void read(short[] out, int samples) {
    for (int i = 0; i < samples; i++) {
      int index = phase >>> (32 - TABLE_BITS);
      float frac = ((phase << TABLE_BITS) >>> 1) / 2147483648f;
      float a = SINE[index];
      out[i] = (short) Math.round(a + (SINE[index + 1] - a) * frac);
      phase += step;
    }
  }
}
