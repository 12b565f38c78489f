package org.callchain.media.internal.audio;

import javax.sound.sampled.SourceDataLine;
import org.callchain.media.MediaException;

/**
 * Loudspeaker output through a Java Sound {@link SourceDataLine}. Writes never block the clock
 * thread: if the line's buffer is full the frame is dropped (the device clock is slower than ours).
 */
public final class JavaSoundPlayback implements AudioSink {
  private final SourceDataLine line;
  private byte[] bytes = new byte[0];

  public JavaSoundPlayback(String deviceName, int sampleRate) throws MediaException {
    line = AudioDevices.open(SourceDataLine.class, deviceName, sampleRate, "playback");
  }

  @Override
  public void write(short[] pcm, int samples) {
    int want = samples * 2;
    if (bytes.length < want) {
      bytes = new byte[want];
    }
    for (int i = 0; i < samples; i++) {
      bytes[2 * i] = (byte) pcm[i];
      bytes[2 * i + 1] = (byte) (pcm[i] >> 8);
    }
    if (line.available() >= want) {
      line.write(bytes, 0, want);
    }
  }

  @Override
  public void close() {
    line.stop();
    line.close();
  }
}
