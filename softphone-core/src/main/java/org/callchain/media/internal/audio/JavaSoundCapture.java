package org.callchain.media.internal.audio;

import java.util.Arrays;
import javax.sound.sampled.TargetDataLine;
import org.callchain.media.MediaException;

/**
 * Microphone input through a Java Sound {@link TargetDataLine}. Reads never block the clock thread:
 * it takes what the line has and pads the rest of the frame with silence.
 */
public final class JavaSoundCapture implements AudioSource {
  private final TargetDataLine line;
  private byte[] bytes = new byte[0];

  public JavaSoundCapture(String deviceName, int sampleRate) throws MediaException {
    line = AudioDevices.open(TargetDataLine.class, deviceName, sampleRate, "capture");
  }

  @Override
  public void read(short[] out, int samples) {
    int want = samples * 2;
    if (bytes.length < want) {
      bytes = new byte[want];
    }
    int n = Math.min(want, line.available()) & ~1;
    int got = n > 0 ? line.read(bytes, 0, n) : 0;
    for (int i = 0; i < got / 2; i++) {
      out[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
    }
    Arrays.fill(out, got / 2, samples, (short) 0);
  }

  @Override
  public void close() {
    line.stop();
    line.close();
  }
}
