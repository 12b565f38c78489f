package org.callchain.media.internal.audio;

/** An endless sine at -10 dBFS, phase-continuous across frames. */
public final class ToneSource implements AudioSource {
  static final double AMPLITUDE = 32767 * 0.316;
  private final double step;
  private double phase;

  public ToneSource(double frequencyHz, int sampleRate) {
    this.step = 2 * Math.PI * frequencyHz / sampleRate;
  }

  @Override
  public void read(short[] out, int samples) {
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(AMPLITUDE * Math.sin(phase));
      phase += step;
      if (phase > 2 * Math.PI) {
        phase -= 2 * Math.PI;
      }
    }
  }
}
