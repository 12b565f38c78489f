package org.callchain.media.internal.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaException;
import org.callchain.media.testing.Goertzel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headless sources and sinks, and the errors for devices that are not there. */
class AudioEndpointsTest {
  @TempDir Path dir;

  @Test
  void missingCaptureDeviceIsAClearMediaException() {
    MediaException e =
        assertThrows(
            MediaException.class,
            () -> AudioEndpoints.openSource(new AudioSourceSpec.Device("NoSuchMic-42"), 8000));
    assertTrue(e.getMessage().contains("capture device 'NoSuchMic-42'"), e.getMessage());
    assertTrue(e.getMessage().contains("available:"), e.getMessage());
  }

  @Test
  void missingPlaybackDeviceIsAClearMediaException() {
    MediaException e =
        assertThrows(
            MediaException.class,
            () -> AudioEndpoints.openSink(new AudioSinkSpec.Device("NoSuchSpeaker-42"), 8000, "c"));
    assertTrue(e.getMessage().contains("playback device 'NoSuchSpeaker-42'"), e.getMessage());
  }

  @Test
  void toneSourceHoldsItsFrequency() throws Exception {
    AudioSource s = AudioEndpoints.openSource(new AudioSourceSpec.Tone(1000), 8000);
    short[] x = new short[8000];
    s.read(x, 8000);
    assertTrue(Goertzel.relativePower(x, 0, 8000, 1000, 8000) > 0.95);
    assertTrue(Goertzel.relativePower(x, 0, 8000, 1300, 8000) < 0.01);
  }

  @Test
  void wavSinkThenWavSourceGiveBackTheSamples() throws Exception {
    Path file = dir.resolve("x.wav");
    AudioSink sink = AudioEndpoints.openSink(new AudioSinkSpec.WavFile(file), 8000, "c");
    short[] frame = {1, -2, 300, -32768, 32767};
    sink.write(frame, 5);
    sink.close();
    WavFormat.Pcm pcm = WavFormat.read(file);
    assertEquals(8000, pcm.sampleRate());
    assertArrayEquals(frame, pcm.samples());
    AudioSource src = AudioEndpoints.openSource(new AudioSourceSpec.WavFile(file), 8000);
    short[] back = new short[7];
    src.read(back, 7);
    assertArrayEquals(new short[] {1, -2, 300, -32768, 32767, 1, -2}, back, "loops at the end");
  }

  @Test
  void wavSinkInADirectoryIsNamedAfterTheCall() throws Exception {
    AudioSink sink = AudioEndpoints.openSink(new AudioSinkSpec.WavFile(dir), 8000, "a/b@c");
    sink.close();
    assertTrue(Files.exists(dir.resolve("a_b_c-received.wav")));
  }

  @Test
  void unreadableWavIsAMediaException() throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.wav"), "not a wav");
    MediaException e =
        assertThrows(
            MediaException.class,
            () -> AudioEndpoints.openSource(new AudioSourceSpec.WavFile(bogus), 8000));
    assertTrue(e.getMessage().contains("not a RIFF/WAVE"), e.getMessage());
  }

  @Test
  void resamplingKeepsTheTone() {
    AudioSource s = new ToneSource(1000, 8000);
    short[] x = new short[8000];
    s.read(x, 8000);
    short[] y = Resampler.convert(x, 8000, 16000);
    assertEquals(16000, y.length);
    assertTrue(Goertzel.relativePower(y, 0, 16000, 1000, 16000) > 0.9);
  }
}
