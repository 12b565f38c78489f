package org.callchain.media.internal.audio;

import java.io.IOException;
import java.nio.file.Path;
import org.callchain.media.MediaException;

/** Plays a WAV file (any rate, mixed down to mono, resampled once at open) in a loop. */
public final class WavFileSource implements AudioSource {
  private final short[] pcm;
  private int pos;

  public WavFileSource(Path path, int sampleRate) throws MediaException {
    try {
      WavFormat.Pcm wav = WavFormat.read(path);
      pcm = Resampler.convert(wav.mono(), wav.sampleRate(), sampleRate);
    } catch (IOException e) {
      throw new MediaException("cannot play " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void read(short[] out, int samples) {
    for (int i = 0; i < samples; i++) {
      if (pcm.length == 0) {
        out[i] = 0;
        continue;
      }
      out[i] = pcm[pos];
      pos = (pos + 1) % pcm.length;
    }
  }
}
