package org.callchain.media.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.audio.ToneSource;
import org.callchain.media.testing.Goertzel;
import org.junit.jupiter.api.Test;

/** Opus through Concentus: RFC 7587 clock arithmetic and a tone surviving encode/decode. */
class OpusCodecTest {

  @Test
  void twentyMillisecondsAdvanceTheRtpTimestampBy960() {
    OpusCodec codec = new OpusCodec(PayloadFormat.OPUS);
    assertEquals(16000, codec.sampleRate());
    assertEquals(3, codec.timestampUnitsPerSample()); // RFC 7587 §4.1: 48 kHz RTP clock
    assertEquals(960, 320 * codec.timestampUnitsPerSample());
  }

  @Test
  void aToneSurvivesEncodingAndDecoding() {
    OpusCodec codec = new OpusCodec(PayloadFormat.OPUS);
    ToneSource tone = new ToneSource(1000, 16000);
    short[] frame = new short[320];
    byte[] packet = new byte[1500];
    short[] out = new short[16000];
    short[] decoded = new short[320 * 50];
    for (int i = 0; i < 50; i++) {
      tone.read(frame, 320);
      int len = codec.encode(frame, 320, packet);
      assertTrue(len > 0 && len < 200, "packet length " + len);
      int n = codec.decode(packet, 0, len, out);
      assertEquals(320, n);
      System.arraycopy(out, 0, decoded, 320 * i, n);
    }
    double p = Goertzel.relativePower(decoded, 320 * 10, 320 * 50, 1000, 16000);
    assertTrue(p > 0.8, "1 kHz share " + p);
  }

  @Test
  void concealmentAfterAToneContinuesTheSignal() {
    OpusCodec codec = new OpusCodec(PayloadFormat.OPUS);
    ToneSource tone = new ToneSource(1000, 16000);
    short[] frame = new short[320];
    byte[] packet = new byte[1500];
    short[] out = new short[5760];
    for (int i = 0; i < 10; i++) {
      tone.read(frame, 320);
      codec.decode(packet, 0, codec.encode(frame, 320, packet), out);
    }
    codec.conceal(out, 320);
    long energy = 0;
    for (int i = 0; i < 320; i++) {
      energy += (long) out[i] * out[i];
    }
    assertTrue(energy > 0, "Opus PLC extrapolates the tone instead of going silent");
  }
}
