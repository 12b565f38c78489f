package org.callchain.media.internal.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.callchain.media.MediaException;

/** Writes received audio to a mono 16-bit WAV file; the header is completed on close. */
public final class WavFileSink implements AudioSink {
  private final Path path;
  private final int sampleRate;
  private final OutputStream out;
  private final byte[] buffer = new byte[5760 * 2];
  private long dataBytes;

  public WavFileSink(Path path, int sampleRate) throws MediaException {
    this.path = path;
    this.sampleRate = sampleRate;
    try {
      out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
      out.write(WavFormat.header(sampleRate, 1, 0));
    } catch (IOException e) {
      throw new MediaException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(short[] pcm, int samples) {
    int n = Math.min(samples, buffer.length / 2);
    for (int i = 0; i < n; i++) {
      buffer[2 * i] = (byte) pcm[i];
      buffer[2 * i + 1] = (byte) (pcm[i] >> 8);
    }
    try {
      out.write(buffer, 0, 2 * n);
      dataBytes += 2L * n;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(WavFormat.header(sampleRate, 1, dataBytes)), 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("finishing " + path, e);
    }
  }
}
