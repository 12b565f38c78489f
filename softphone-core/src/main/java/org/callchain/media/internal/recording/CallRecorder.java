package org.callchain.media.internal.recording;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.callchain.media.MediaException;
import org.callchain.media.Recording;
import org.callchain.media.internal.audio.FileNames;
import org.callchain.media.internal.audio.Resampler;
import org.callchain.media.internal.audio.WavFormat;

/**
 * Records a call leg as a stereo 16-bit WAV: the local leg (what we send) on the left channel, the
 * remote leg (what we play out) on the right, at the codec's rate (8 kHz G.711, 16 kHz Opus).
 *
 * <p>While the call runs the file has a hidden temporary name in the target directory, so no
 * half-written file ever carries the final name. On {@link #finish()} the RIFF and data sizes are
 * patched into the header, the file is forced to disk, hashed with SHA-256 by streaming it once
 * (hashing the final bytes means the hash cannot disagree with the file, whatever the header patch
 * changed), and renamed with {@link StandardCopyOption#ATOMIC_MOVE} to its final name.
 */
public final class CallRecorder {
  private final Path directory;
  private final Path temp;
  private final String baseName;
  private final int sampleRate;
  private final OutputStream out;
  private final LegQueue local = new LegQueue();
  private final LegQueue remote = new LegQueue();
  private byte[] frameBytes = new byte[0];
  private long dataBytes;
  private boolean finished;

  public CallRecorder(Path directory, String callId, int sampleRate) throws MediaException {
    this.directory = directory;
    this.sampleRate = sampleRate;
    this.baseName = FileNames.safe(callId);
    try {
      Files.createDirectories(directory);
      temp = Files.createTempFile(directory, "." + baseName + "-", ".wav.part");
      out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
      out.write(WavFormat.header(sampleRate, 2, 0));
    } catch (IOException e) {
      throw new MediaException("cannot record into " + directory + ": " + e.getMessage(), e);
    }
  }

  public int sampleRate() {
    return sampleRate;
  }

  /** Audio sent, at {@code rate}. */
  public synchronized void local(short[] pcm, int samples, int rate) throws IOException {
    local.add(pcm, samples, rate, sampleRate);
    drain(false);
  }

  /** Audio received and played out, at {@code rate}. */
  public synchronized void remote(short[] pcm, int samples, int rate) throws IOException {
    remote.add(pcm, samples, rate, sampleRate);
    drain(false);
  }

  private void drain(boolean all) throws IOException {
    if (finished) {
      return;
    }
    int n = all ? Math.max(local.size(), remote.size()) : Math.min(local.size(), remote.size());
    if (n == 0) {
      return;
    }
    if (frameBytes.length < 4 * n) {
      frameBytes = new byte[4 * n];
    }
    for (int i = 0; i < n; i++) {
      short l = local.take();
      short r = remote.take();
      frameBytes[4 * i] = (byte) l;
      frameBytes[4 * i + 1] = (byte) (l >> 8);
      frameBytes[4 * i + 2] = (byte) r;
      frameBytes[4 * i + 3] = (byte) (r >> 8);
    }
    out.write(frameBytes, 0, 4 * n);
    dataBytes += 4L * n;
  }

  /** Completes the file and moves it to its final name; see the class comment. */
  public synchronized Recording finish() throws MediaException {
    if (finished) {
      throw new IllegalStateException("recording already finished");
    }
    try {
      drain(true);
      finished = true;
      out.close();
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(WavFormat.header(sampleRate, 2, dataBytes)), 0);
        ch.force(true);
      }
      String sha256 = sha256(temp);
      long size = Files.size(temp);
      Path target = moveToFinalName();
      return new Recording(target, size, sha256);
    } catch (IOException e) {
      abort();
      throw new MediaException("recording " + baseName + " failed: " + e.getMessage(), e);
    }
  }

  private Path moveToFinalName() throws IOException {
    for (int attempt = 0; attempt < 1000; attempt++) {
      Path target = directory.resolve(baseName + (attempt == 0 ? "" : "-" + attempt) + ".wav");
      if (Files.exists(target)) {
        continue;
      }
      try {
        // ATOMIC_MOVE: readers see either no file or the complete one, never a partial file.
        return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        // another leg took the name between the check and the move: try the next one
      }
    }
    throw new IOException("no free file name for " + baseName + " in " + directory);
  }

  /** Drops the temporary file (the call failed before it could be finished). */
  public synchronized void abort() {
    finished = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // the file is deleted next
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // best effort: the temp name is hidden and marked .part
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        digest.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A growable FIFO of one leg's samples at the recording rate. */
  private static final class LegQueue {
    private short[] buf = new short[4096];
    private int head;
    private int tail;

    void add(short[] pcm, int samples, int rate, int targetRate) {
      short[] in = pcm;
      int n = samples;
      if (rate != targetRate) {
        short[] slice = new short[samples];
        System.arraycopy(pcm, 0, slice, 0, samples);
        in = Resampler.convert(slice, rate, targetRate);
        n = in.length;
      }
      if (tail + n > buf.length) {
        int size = tail - head;
        short[] next = buf.length >= 2 * (size + n) ? buf : new short[2 * (size + n)];
        System.arraycopy(buf, head, next, 0, size);
        buf = next;
        head = 0;
        tail = size;
      }
      System.arraycopy(in, 0, buf, tail, n);
      tail += n;
    }

    int size() {
      return tail - head;
    }

    short take() {
      return head < tail ? buf[head++] : 0;
    }
  }
}
