package org.callchain.media.internal.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import org.callchain.media.MediaException;

/**
 * Finds Java Sound lines by mixer name. A name matches a mixer whose name contains it (case
 * ignored); the empty name means the system default. Failures become a {@link MediaException} that
 * says which device was missing or busy and which devices exist.
 */
public final class AudioDevices {
  private AudioDevices() {}

  /** 16-bit signed little-endian mono PCM at {@code rate}. */
  public static AudioFormat format(int rate) {
    return new AudioFormat(rate, 16, 1, true, false);
  }

  /** Names of the mixers that offer lines of {@code lineClass} ("capture" or "playback"). */
  public static List<String> names(Class<? extends DataLine> lineClass, int rate) {
    DataLine.Info info = new DataLine.Info(lineClass, format(rate));
    List<String> out = new ArrayList<>();
    for (Mixer.Info m : AudioSystem.getMixerInfo()) {
      if (AudioSystem.getMixer(m).isLineSupported(info)) {
        out.add(m.getName());
      }
    }
    return out;
  }

  /** Opens a line of {@code lineClass} on the device called {@code name}. */
  public static <L extends DataLine> L open(Class<L> lineClass, String name, int rate, String role)
      throws MediaException {
    AudioFormat format = format(rate);
    DataLine.Info info = new DataLine.Info(lineClass, format);
    String shown = name.isEmpty() ? "default " + role + " device" : role + " device '" + name + "'";
    Line line;
    try {
      if (name.isEmpty()) {
        line = AudioSystem.getLine(info);
      } else {
        Mixer mixer = null;
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Mixer.Info m : AudioSystem.getMixerInfo()) {
          Mixer candidate = AudioSystem.getMixer(m);
          if (m.getName().toLowerCase(Locale.ROOT).contains(wanted)
              && candidate.isLineSupported(info)) {
            mixer = candidate;
            break;
          }
        }
        if (mixer == null) {
          throw missing(shown, lineClass, rate);
        }
        line = mixer.getLine(info);
      }
    } catch (IllegalArgumentException | SecurityException e) {
      throw missing(shown, lineClass, rate);
    } catch (LineUnavailableException e) {
      throw new MediaException(shown + " is busy or unavailable: " + e.getMessage(), e);
    }
    L typed = lineClass.cast(line);
    try {
      if (typed instanceof javax.sound.sampled.TargetDataLine t) {
        t.open(format, rate / 5 * 2); // 200 ms of buffer
      } else if (typed instanceof javax.sound.sampled.SourceDataLine s) {
        s.open(format, rate / 5 * 2);
      }
      typed.start();
      return typed;
    } catch (LineUnavailableException | IllegalArgumentException e) {
      throw new MediaException(shown + " is busy or unavailable: " + e.getMessage(), e);
    }
  }

  private static MediaException missing(
      String shown, Class<? extends DataLine> lineClass, int rate) {
    List<String> available = names(lineClass, rate);
    return new MediaException(
        "no "
            + shown
            + " with 16-bit mono PCM at "
            + rate
            + " Hz; available: "
            + (available.isEmpty() ? "none (no sound card?)" : String.join(", ", available)));
  }
}
