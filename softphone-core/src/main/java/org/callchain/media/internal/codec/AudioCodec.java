package org.callchain.media.internal.codec;

import org.callchain.media.PayloadFormat;

/**
 * One negotiated audio codec of a call leg: an encoder and a decoder with their state. Both are
 * used from the session's clock thread only, so implementations need no locking.
 */
public interface AudioCodec {

  PayloadFormat format();

  /** The rate of the linear PCM this codec encodes and decodes (8000 for G.711, 16000 Opus). */
  int sampleRate();

  /** RTP timestamp units per PCM sample (1 for G.711, 3 for Opus at 16 kHz on a 48 kHz clock). */
  default int timestampUnitsPerSample() {
    return format().clockRate() / sampleRate();
  }

  /** Encodes {@code samples} samples of {@code pcm}; returns the number of bytes written. */
  int encode(short[] pcm, int samples, byte[] out);

  /**
   * Decodes one RTP payload into {@code out}; returns the number of samples, or -1 if the payload
   * is corrupt (the jitter buffer then conceals it).
   */
  int decode(byte[] payload, int offset, int length, short[] out);

  /** Synthesises {@code samples} samples for a lost frame (packet-loss concealment). */
  void conceal(short[] out, int samples);
}
