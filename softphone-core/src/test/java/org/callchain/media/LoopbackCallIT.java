package org.callchain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callchain.media.internal.audio.WavFormat;
import org.callchain.media.internal.codec.CodecWarmup;
import org.callchain.media.testing.Goertzel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two media sessions on loopback, each applying the other's address as the negotiated remote (no
 * SIP): a 1 kHz tone sent by each side is found in the other side's recording (right channel), both
 * directions, for PCMU, PCMA and Opus; DTMF digits arrive in order.
 */
class LoopbackCallIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"PCMU", "PCMA", "opus"})
  void toneCrossesBothWaysAndDtmfArrivesInOrder(String codecName) throws Exception {
    PayloadFormat codec = MediaConfig.parseCodecs(codecName).get(0);
    PayloadFormat te =
        codec.clockRate() == 48000
            ? PayloadFormat.TELEPHONE_EVENT_48K
            : PayloadFormat.TELEPHONE_EVENT;
    Path dirA = Files.createDirectories(dir.resolve("a"));
    Path dirB = Files.createDirectories(dir.resolve("b"));
    try (MediaEngine a = engine(dirA, "tone:1000", codecName);
        MediaEngine b = engine(dirB, "tone:1000", codecName)) {
      if (codec.sameEncoding(PayloadFormat.OPUS)) {
        // a phone starts its engine long before its first call, and the engine warms Concentus
        // up in the background meanwhile; here the call follows at once, so wait for the JIT
        CodecWarmup.run(codec, 1500);
      }
      MediaSession sa = a.open(a.options("call-a"));
      MediaSession sb = b.open(b.options("call-b"));
      List<Character> digitsAtB = new CopyOnWriteArrayList<>();
      sb.addListener(digitsAtB::add);
      sa.apply(
          new MediaDescription(
              sb.localRtpAddress(), codec, Optional.of(te), 20, MediaDirection.SENDRECV));
      sb.apply(
          new MediaDescription(
              sa.localRtpAddress(), codec, Optional.of(te), 20, MediaDirection.SENDRECV));
      // the tone alone first; the recording is analysed from 0.2 s to 0.1 s before the digits.
      // Opus gets longer: Concentus needs far more CPU than G.711, and on a machine loaded far
      // beyond its cores its first seconds can fall behind real time.
      int toneMillis = codec.sameEncoding(PayloadFormat.OPUS) ? 3500 : 1700;
      Thread.sleep(toneMillis);
      for (char c : "159#*0D".toCharArray()) {
        sa.sendDtmf(c);
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (digitsAtB.size() < 7 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(300);
      MediaOutcome oa = sa.finish();
      System.out.println(codecName + " A: " + oa.quality());
      MediaOutcome ob = sb.finish();
      System.out.println(codecName + " B: " + ob.quality());

      assertEquals(List.of('1', '5', '9', '#', '*', '0', 'D'), digitsAtB);
      for (MediaOutcome o : List.of(oa, ob)) {
        assertEquals(codec.encodingName(), o.codec());
        assertTrue(o.quality().packetsSent() > 50, "sent " + o.quality());
        assertTrue(o.quality().packetsReceived() > 50, "received " + o.quality());
        assertEquals(0, o.quality().packetsLost(), "lost " + o.quality());
        // no loss; the delay the jitter buffer chose decides the score (a busy CI machine adds
        // scheduling jitter, which can push the buffer towards its 300 ms maximum)
        assertTrue(o.quality().mos() >= 1 && o.quality().mos() <= 4.5, "MOS " + o.quality());
        Recording rec = o.recording().orElseThrow();
        assertTrue(rec.path().getFileName().toString().endsWith(".wav"));
        assertEquals(Files.size(rec.path()), rec.sizeBytes());
        assertEquals(sha256(rec.path()), rec.sha256Hex());
        WavFormat.Pcm pcm = WavFormat.read(rec.path());
        assertEquals(2, pcm.channels());
        assertEquals(codec.clockRate() == 48000 ? 16000 : 8000, pcm.sampleRate());
        assertToneIn(pcm.channel(0), pcm.sampleRate(), toneMillis, "local leg");
        assertToneIn(pcm.channel(1), pcm.sampleRate(), toneMillis, "remote leg");
      }
      try (var files = Files.list(dirA)) {
        assertFalse(files.anyMatch(p -> p.toString().endsWith(".part")), "no temp file is left");
      }
    }
  }

  /**
   * The tone must dominate at least 80% of the 100 ms blocks between 0.2 s and 1.6 s of the
   * recording (before the DTMF digits, which replace audio): a scheduling hiccup at call start on a
   * busy machine may cost a block or two, a broken path costs them all.
   */
  private static void assertToneIn(short[] x, int rate, int toneMillis, String what) {
    int block = rate / 10;
    int blocks = 0;
    int withTone = 0;
    StringBuilder map = new StringBuilder();
    for (int from = rate / 5;
        from + block <= Math.min(x.length, rate * (toneMillis - 100) / 1000);
        from += block) {
      blocks++;
      if (Goertzel.relativePower(x, from, from + block, 1000, rate) > 0.8) {
        withTone++;
        map.append('T');
      } else {
        map.append('.');
      }
    }
    assertTrue(blocks >= 12, what + " too short: " + x.length + " samples");
    assertTrue(
        withTone >= blocks * 0.6,
        what + ": 1 kHz in only " + withTone + " of " + blocks + " blocks: " + map);
  }

  private static MediaEngine engine(Path recordDir, String play, String codecs) {
    return MediaEngines.rtp(
        MediaConfig.builder()
            .portRange(40000, 49999)
            .codecs(codecs)
            .source(AudioSourceSpec.parse(play))
            .recordDirectory(recordDir)
            .recordByDefault(true)
            .rtcpIntervalMillis(500)
            .build());
  }

  static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
