package org.callchain.media.internal.codec;

import org.callchain.media.PayloadFormat;

/**
 * PCMU or PCMA (RFC 3551 §4.5.14): one byte per 8 kHz sample. Concealment repeats the last decoded
 * frame, attenuated by 6 dB per lost frame and silent after three, a simplified form of the
 * waveform-substitution idea of G.711 Appendix I.
 */
public final class G711Codec implements AudioCodec {
  private final PayloadFormat format;
  private final boolean alaw;
  private short[] last = new short[0];
  private int lastLength;
  private int concealedInRow;

  public G711Codec(PayloadFormat format) {
    this.format = format;
    this.alaw = format.encodingName().equalsIgnoreCase("PCMA");
  }

  @Override
  public PayloadFormat format() {
    return format;
  }

  @Override
  public int sampleRate() {
    return 8000;
  }

  @Override
  public int encode(short[] pcm, int samples, byte[] out) {
    for (int i = 0; i < samples; i++) {
      out[i] = (byte) (alaw ? G711.linearToAlaw(pcm[i]) : G711.linearToUlaw(pcm[i]));
    }
    return samples;
  }

  @Override
  public int decode(byte[] payload, int offset, int length, short[] out) {
    int n = Math.min(length, out.length);
    for (int i = 0; i < n; i++) {
      out[i] =
          alaw ? G711.alawToLinear(payload[offset + i]) : G711.ulawToLinear(payload[offset + i]);
    }
    if (last.length < n) {
      last = new short[n];
    }
    System.arraycopy(out, 0, last, 0, n);
    lastLength = n;
    concealedInRow = 0;
    return n;
  }

  @Override
  public void conceal(short[] out, int samples) {
    concealedInRow++;
    int shift = concealedInRow; // -6 dB per concealed frame
    for (int i = 0; i < samples; i++) {
      out[i] = concealedInRow > 3 || lastLength == 0 ? 0 : (short) (last[i % lastLength] >> shift);
    }
  }
}
