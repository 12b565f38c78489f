package org.callchain.media.internal.codec;

import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.audio.ToneSource;

/**
 * Runs a codec through a few seconds of audio on a background thread when an engine starts, so that
 * the JIT has compiled it before the first call. Without it the first Opus frames, run interpreted
 * on the shared media clock thread, take long enough to stall every call on it.
 */
public final class CodecWarmup {
  private static final int FRAMES = 300;

  private CodecWarmup() {}

  public static void startInBackground(PayloadFormat format) {
    Thread t = new Thread(() -> run(format, FRAMES), "codec-warmup-" + format.encodingName());
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Encodes and decodes {@code frames} 20 ms frames of a tone, concealing every tenth. */
  public static void run(PayloadFormat format, int frames) {
    try {
      AudioCodec codec = Codecs.create(format);
      int samples = codec.sampleRate() / 50;
      ToneSource tone = new ToneSource(440, codec.sampleRate());
      short[] pcm = new short[samples];
      short[] out = new short[5760];
      byte[] packet = new byte[1500];
      for (int i = 0; i < frames; i++) {
        tone.read(pcm, samples);
        int n = codec.encode(pcm, samples, packet);
        if (i % 10 == 9) {
          codec.conceal(out, samples);
        } else {
          codec.decode(packet, 0, n, out);
        }
      }
    } catch (org.callchain.media.MediaException | RuntimeException e) {
      // warm-up is an optimisation: a codec that fails here fails again, visibly, on use
    }
  }
}
