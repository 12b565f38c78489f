package org.callchain.media.internal.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The canonical 44-byte RIFF/WAVE header for 16-bit PCM, and a reader that accepts any chunk layout
 * with a {@code fmt } chunk of format 1 (PCM) or 0xFFFE (extensible) at 16 bits.
 */
public final class WavFormat {
  public static final int HEADER_BYTES = 44;

  private WavFormat() {}

  /** The header for {@code dataBytes} bytes of 16-bit PCM. */
  public static byte[] header(int sampleRate, int channels, long dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'R', 'I', 'F', 'F'});
    b.putInt((int) Math.min(0xFFFFFFFFL, 36 + dataBytes));
    b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
    b.putInt(16);
    b.putShort((short) 1);
    b.putShort((short) channels);
    b.putInt(sampleRate);
    b.putInt(sampleRate * channels * 2);
    b.putShort((short) (channels * 2));
    b.putShort((short) 16);
    b.put(new byte[] {'d', 'a', 't', 'a'});
    b.putInt((int) Math.min(0xFFFFFFFFL, dataBytes));
    return b.array();
  }

  /** Decoded 16-bit PCM: channels interleaved. */
  public record Pcm(int sampleRate, int channels, short[] samples) {
    /** One channel of the interleaved samples. */
    public short[] channel(int index) {
      short[] out = new short[samples.length / channels];
      for (int i = 0; i < out.length; i++) {
        out[i] = samples[i * channels + index];
      }
      return out;
    }

    /** The mean of all channels. */
    public short[] mono() {
      if (channels == 1) {
        return samples.clone();
      }
      short[] out = new short[samples.length / channels];
      for (int i = 0; i < out.length; i++) {
        int sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += samples[i * channels + c];
        }
        out[i] = (short) (sum / channels);
      }
      return out;
    }
  }

  /**
   * Reads a 16-bit PCM WAV file.
   *
   * @throws IOException when the file cannot be read or is not 16-bit PCM WAV (with the reason)
   */
  public static Pcm read(Path path) throws IOException {
    byte[] all = Files.readAllBytes(path);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 12
        || b.getInt(0) != 0x46464952 /* RIFF */
        || b.getInt(8) != 0x45564157 /* WAVE */) {
      throw new IOException(path + " is not a RIFF/WAVE file");
    }
    int pos = 12;
    int rate = -1;
    int channels = -1;
    while (pos + 8 <= all.length) {
      int id = b.getInt(pos);
      long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
      int body = pos + 8;
      if (id == 0x20746d66 /* "fmt " */) {
        int format = b.getShort(body) & 0xFFFF;
        channels = b.getShort(body + 2);
        rate = b.getInt(body + 4);
        int bits = b.getShort(body + 14);
        if ((format != 1 && format != 0xFFFE) || bits != 16 || channels < 1) {
          throw new IOException(path + ": only 16-bit PCM WAV is supported");
        }
      } else if (id == 0x61746164 /* "data" */) {
        if (rate < 0) {
          throw new IOException(path + ": data chunk before fmt chunk");
        }
        long len = Math.min(size, all.length - body);
        short[] s = new short[(int) (len / 2)];
        b.position(body);
        b.asShortBuffer().get(s);
        return new Pcm(rate, channels, s);
      }
      pos = body + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - body);
    }
    throw new IOException(path + ": no data chunk");
  }
}
