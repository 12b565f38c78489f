package org.callchain.phone.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.callchain.media.internal.audio.WavFormat;
import org.callchain.media.internal.codec.G711;
import org.callchain.media.testing.Goertzel;

/**
 * Test audio for the peers and the check that a tone is in a recording: files the peers play (a raw
 * G.711 mu-law file for SIPp's {@code rtp_stream}, a PCM WAV for baresip's {@code aufile}), and the
 * share of 100 ms blocks in which one frequency dominates (Goertzel).
 */
final class PeerAudio {
  private static final double AMPLITUDE = 12_000;

  private PeerAudio() {}

  static short[] tone(double hz, int sampleRate, int millis) {
    short[] x = new short[sampleRate * millis / 1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    return x;
  }

  /** Raw mu-law bytes (ITU-T G.711), 8 kHz: what SIPp sends as payload type 0. */
  static Path writeUlaw(Path file, double hz, int millis) throws IOException {
    short[] x = tone(hz, 8000, millis);
    byte[] out = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (byte) G711.linearToUlaw(x[i]);
    }
    return Files.write(file, out);
  }

  /** A 16-bit PCM WAV with the tone on every channel. */
  static Path writeWav(Path file, double hz, int sampleRate, int channels, int millis)
      throws IOException {
    short[] x = tone(hz, sampleRate, millis);
    ByteBuffer data = ByteBuffer.allocate(x.length * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : x) {
      for (int c = 0; c < channels; c++) {
        data.putShort(s);
      }
    }
    byte[] header = WavFormat.header(sampleRate, channels, data.capacity());
    byte[] all = new byte[header.length + data.capacity()];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(data.array(), 0, all, header.length, data.capacity());
    return Files.write(file, all);
  }

  /** Number of 100 ms blocks of {@code x} in which {@code hz} holds over 80 % of the power. */
  static int blocksWithTone(short[] x, int sampleRate, double hz) {
    int block = sampleRate / 10;
    int n = 0;
    for (int from = 0; from + block <= x.length; from += block) {
      if (Goertzel.relativePower(x, from, from + block, hz, sampleRate) > 0.8) {
        n++;
      }
    }
    return n;
  }

  /** A map of the blocks for failure messages: {@code T} tone, {@code .} other. */
  static String blockMap(short[] x, int sampleRate, double hz) {
    int block = sampleRate / 10;
    StringBuilder map = new StringBuilder();
    for (int from = 0; from + block <= x.length; from += block) {
      map.append(Goertzel.relativePower(x, from, from + block, hz, sampleRate) > 0.8 ? 'T' : '.');
    }
    return map.toString();
  }
}
