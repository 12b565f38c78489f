package org.callchain.media.internal.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.callchain.media.Recording;
import org.callchain.media.internal.audio.WavFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stereo call recording: layout, temporary name while running, atomic finish, hash. */
class CallRecorderTest {
  @TempDir Path dir;

  @Test
  void writesLocalLeftRemoteRightAndHashesTheFinalFile() throws Exception {
    CallRecorder r = new CallRecorder(dir, "call/1@host", 8000);
    short[] local = {100, 200, 300};
    short[] remote = {-1, -2};
    r.local(local, 3, 8000);
    r.remote(remote, 2, 8000);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> during = files.toList();
      assertEquals(1, during.size());
      assertTrue(
          during.get(0).getFileName().toString().endsWith(".wav.part"), "temp name while running");
    }
    Recording rec = r.finish();
    assertEquals(dir.resolve("call_1_host.wav"), rec.path());
    byte[] bytes = Files.readAllBytes(rec.path());
    assertEquals(bytes.length, rec.sizeBytes());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        rec.sha256Hex());
    WavFormat.Pcm pcm = WavFormat.read(rec.path());
    assertEquals(2, pcm.channels());
    assertEquals(8000, pcm.sampleRate());
    // the shorter remote leg is padded with silence at the end
    assertEquals(List.of((short) 100, (short) 200, (short) 300), asList(pcm.channel(0)));
    assertEquals(List.of((short) -1, (short) -2, (short) 0), asList(pcm.channel(1)));
    assertEquals(44 + 3 * 4, bytes.length);
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.toString().endsWith(".part")));
    }
  }

  @Test
  void aSecondRecordingOfTheSameCallGetsAnotherName() throws Exception {
    Recording a = new CallRecorder(dir, "same", 16000).finish();
    Recording b = new CallRecorder(dir, "same", 16000).finish();
    assertEquals(dir.resolve("same.wav"), a.path());
    assertEquals(dir.resolve("same-1.wav"), b.path());
    assertEquals(44, b.sizeBytes());
  }

  @Test
  void eightKilohertzLegsAreResampledIntoASixteenKilohertzRecording() throws Exception {
    CallRecorder r = new CallRecorder(dir, "mixed", 16000);
    r.local(new short[160], 160, 8000);
    r.remote(new short[320], 320, 16000);
    Recording rec = r.finish();
    assertEquals(44 + 320 * 4, rec.sizeBytes());
  }

  @Test
  void abortLeavesNothingBehind() throws Exception {
    CallRecorder r = new CallRecorder(dir, "gone", 8000);
    r.local(new short[10], 10, 8000);
    r.abort();
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  private static List<Short> asList(short[] s) {
    java.util.ArrayList<Short> out = new java.util.ArrayList<>();
    for (short v : s) {
      out.add(v);
    }
    return out;
  }
}
