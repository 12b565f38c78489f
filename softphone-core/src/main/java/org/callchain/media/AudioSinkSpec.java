package org.callchain.media;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Where the audio a call leg receives goes. The CLI's {@code --audio-out NAME} maps here. */
public sealed interface AudioSinkSpec {

  /** Throw it away (headless; the recording still gets it). */
  record Discard() implements AudioSinkSpec {}

  /**
   * Write it to a mono 16-bit WAV file. If {@code path} is an existing directory, each leg writes
   * {@code <call-id>-received.wav} in it.
   */
  record WavFile(Path path) implements AudioSinkSpec {
    public WavFile {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A Java Sound playback device, found by (a part of) its mixer name; empty for the default. */
  record Device(String name) implements AudioSinkSpec {
    public Device {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Parses {@code discard} (or {@code none}), {@code device:NAME}, {@code device}, {@code
   * file:PATH}, or any other text as a device name.
   */
  static AudioSinkSpec parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("discard") || lower.equals("none")) {
      return new Discard();
    }
    if (lower.equals("device") || lower.equals("default")) {
      return new Device("");
    }
    if (lower.startsWith("device:")) {
      return new Device(t.substring(7).strip());
    }
    if (lower.startsWith("file:")) {
      return new WavFile(Path.of(t.substring(5)));
    }
    return new Device(t);
  }
}
