package org.callchain.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsers behind the CLI's --codec, --play, --audio-in and --audio-out. */
class MediaConfigTest {

  @Test
  void codecListKeepsTheUsersOrder() {
    assertEquals(
        List.of(PayloadFormat.PCMA, PayloadFormat.OPUS, PayloadFormat.PCMU),
        MediaConfig.parseCodecs("pcma, Opus,ulaw"));
    assertEquals(List.of(PayloadFormat.PCMU), MediaConfig.parseCodecs("G711U"));
  }

  @Test
  void codecListRejectsUnknownEmptyAndRepeatedEntries() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MediaConfig.parseCodecs("PCMU,g729"));
    assertTrue(e.getMessage().contains("g729"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MediaConfig.parseCodecs("PCMU,,PCMA"));
    assertThrows(IllegalArgumentException.class, () -> MediaConfig.parseCodecs(""));
    assertThrows(IllegalArgumentException.class, () -> MediaConfig.parseCodecs("pcmu,ulaw"));
  }

  @Test
  void playSourceIsAFileOrAToneOrSilence() {
    assertEquals(new AudioSourceSpec.Tone(1000), AudioSourceSpec.parse("tone:1000"));
    assertEquals(new AudioSourceSpec.Tone(440.5), AudioSourceSpec.parse("TONE: 440.5"));
    assertEquals(new AudioSourceSpec.Silence(), AudioSourceSpec.parse("silence"));
    assertEquals(
        new AudioSourceSpec.WavFile(Path.of("/tmp/hello.wav")),
        AudioSourceSpec.parse("/tmp/hello.wav"));
    assertEquals(
        new AudioSourceSpec.WavFile(Path.of("tone.wav")), AudioSourceSpec.parse("file:tone.wav"));
    assertEquals(new AudioSourceSpec.Device("USB"), AudioSourceSpec.parse("device:USB"));
    assertThrows(IllegalArgumentException.class, () -> AudioSourceSpec.parse("tone:abc"));
    assertThrows(IllegalArgumentException.class, () -> AudioSourceSpec.parse("tone:0"));
    assertThrows(IllegalArgumentException.class, () -> AudioSourceSpec.parse(" "));
  }

  @Test
  void sinkIsADeviceByNameUnlessDiscardOrFile() {
    assertEquals(new AudioSinkSpec.Discard(), AudioSinkSpec.parse("discard"));
    assertEquals(new AudioSinkSpec.Device("Headset"), AudioSinkSpec.parse("Headset"));
    assertEquals(new AudioSinkSpec.Device(""), AudioSinkSpec.parse("default"));
    assertEquals(
        new AudioSinkSpec.WavFile(Path.of("out.wav")), AudioSinkSpec.parse("file:out.wav"));
  }

  @Test
  void builderDefaultsAndValidation() {
    MediaConfig c = MediaConfig.builder().build();
    assertEquals(20, c.ptimeMillis());
    assertEquals(PayloadFormat.OPUS, c.codecs().get(0));
    assertFalse(c.recordByDefault());
    assertTrue(c.recordDirectory().isEmpty());
    assertEquals(c, c.toBuilder().build());
    assertThrows(
        IllegalArgumentException.class, () -> MediaConfig.builder().portRange(5000, 5000).build());
    assertThrows(
        IllegalArgumentException.class, () -> MediaConfig.builder().portRange(80, 1000).build());
    assertThrows(
        IllegalArgumentException.class, () -> MediaConfig.builder().ptimeMillis(25).build());
    assertThrows(
        IllegalArgumentException.class, () -> MediaConfig.builder().codecs(List.of()).build());
  }

  @Test
  void engineOptionsFollowRecordByDefault(@org.junit.jupiter.api.io.TempDir Path dir) {
    try (MediaEngine on =
            MediaEngines.rtp(
                MediaConfig.builder().recordDirectory(dir).recordByDefault(true).build());
        MediaEngine off = MediaEngines.rtp(MediaConfig.builder().build())) {
      assertTrue(on.options("c1").record());
      assertFalse(off.options("c1").record());
      assertTrue(on.supportedFormats().contains(PayloadFormat.TELEPHONE_EVENT));
      assertEquals(PayloadFormat.OPUS, on.supportedFormats().get(0));
    }
  }
}
