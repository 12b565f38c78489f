package org.callchain.media;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the audio a call leg sends comes from. The CLI's {@code --play FILE|tone:HZ} and {@code
 * --audio-in NAME} are parsed into one of these.
 */
public sealed interface AudioSourceSpec {

  /** Digital silence: for listeners and load tests. */
  record Silence() implements AudioSourceSpec {}

  /** A sine tone at {@code -10 dBFS}, endless. */
  record Tone(double frequencyHz) implements AudioSourceSpec {
    public Tone {
      if (!(frequencyHz > 0 && frequencyHz < 24000)) {
        throw new IllegalArgumentException("tone frequency out of range: " + frequencyHz);
      }
    }
  }

  /** A 16-bit PCM WAV file, mono or stereo, any rate; it loops at its end. */
  record WavFile(Path path) implements AudioSourceSpec {
    public WavFile {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A Java Sound capture device, found by (a part of) its mixer name; empty for the default. */
  record Device(String name) implements AudioSourceSpec {
    public Device {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Parses {@code silence}, {@code tone:HZ}, {@code device:NAME} (or {@code device} for the default
   * capture device), {@code file:PATH} or a plain file path.
   *
   * @throws IllegalArgumentException with a one-line message when the text is not one of these
   */
  static AudioSourceSpec parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty audio source; use FILE, tone:HZ or silence");
    }
    if (lower.equals("silence")) {
      return new Silence();
    }
    if (lower.startsWith("tone:")) {
      String hz = t.substring(5).strip();
      try {
        return new Tone(Double.parseDouble(hz));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad tone frequency '" + hz + "'; use tone:HZ", e);
      }
    }
    if (lower.equals("device")) {
      return new Device("");
    }
    if (lower.startsWith("device:")) {
      return new Device(t.substring(7).strip());
    }
    if (lower.startsWith("file:")) {
      return new WavFile(Path.of(t.substring(5)));
    }
    return new WavFile(Path.of(t));
  }
}
