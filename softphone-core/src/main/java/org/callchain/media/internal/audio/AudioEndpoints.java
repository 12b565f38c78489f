package org.callchain.media.internal.audio;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaException;

/** Opens the source or sink an {@link AudioSourceSpec} or {@link AudioSinkSpec} describes. */
public final class AudioEndpoints {
  private AudioEndpoints() {}

  public static AudioSource openSource(AudioSourceSpec spec, int sampleRate) throws MediaException {
    if (spec instanceof AudioSourceSpec.Silence) {
      return new SilenceSource();
    } else if (spec instanceof AudioSourceSpec.Tone t) {
      return new ToneSource(t.frequencyHz(), sampleRate);
    } else if (spec instanceof AudioSourceSpec.WavFile f) {
      return new WavFileSource(f.path(), sampleRate);
    } else if (spec instanceof AudioSourceSpec.Device d) {
      return new JavaSoundCapture(d.name(), sampleRate);
    }
    throw new IllegalArgumentException("unknown audio source " + spec);
  }

  public static AudioSink openSink(AudioSinkSpec spec, int sampleRate, String callId)
      throws MediaException {
    if (spec instanceof AudioSinkSpec.Discard) {
      return new DiscardSink();
    } else if (spec instanceof AudioSinkSpec.WavFile f) {
      Path p = f.path();
      if (Files.isDirectory(p)) {
        p = p.resolve(FileNames.safe(callId) + "-received.wav");
      }
      return new WavFileSink(p, sampleRate);
    } else if (spec instanceof AudioSinkSpec.Device d) {
      return new JavaSoundPlayback(d.name(), sampleRate);
    }
    throw new IllegalArgumentException("unknown audio sink " + spec);
  }
}
