package org.callchain.media.testing;

/**
 * Goertzel's algorithm: the power of one frequency in a block of samples, relative to the block's
 * total power, so that "the tone is there" does not depend on the level.
 */
public final class Goertzel {
  private Goertzel() {}

  /** Power at {@code hz} as a fraction (0..1) of the block's power, over {@code [from, to)}. */
  public static double relativePower(short[] x, int from, int to, double hz, int sampleRate) {
    int n = to - from;
    if (n <= 0) {
      return 0;
    }
    double coeff = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    double energy = 0;
    for (int i = from; i < to; i++) {
      double s0 = x[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
      energy += (double) x[i] * x[i];
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    // a pure sine of N samples gives power = (A·N/2)² and energy = A²·N/2
    return energy == 0 ? 0 : power / (energy * n / 2.0);
  }
}
