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

  /**
   * A libpcap capture (Ethernet, IPv4, UDP) of the tone as RTP (RFC 3550 §5.1) with PCMU payload
   * (RFC 3551 §4.5.14, payload type 0), one 160-byte packet per 20 ms, as SIPp's {@code
   * play_pcap_audio} replays it. Addresses and ports are placeholders: SIPp rewrites them.
   */
  static Path writeRtpPcap(Path file, double hz, int millis) throws IOException {
    short[] x = tone(hz, 8000, millis);
    int packets = x.length / 160;
    int frame = 14 + 20 + 8 + 12 + 160;
    ByteBuffer b = ByteBuffer.allocate(24 + packets * (16 + frame));
    b.order(ByteOrder.LITTLE_ENDIAN); // pcap headers in the writer's byte order, magic says so
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(65535).putInt(1); // snaplen, LINKTYPE_ETHERNET
    for (int p = 0; p < packets; p++) {
      long micros = p * 20_000L;
      b.order(ByteOrder.LITTLE_ENDIAN);
      b.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
      b.putInt(frame).putInt(frame);
      b.order(ByteOrder.BIG_ENDIAN); // network byte order from here
      b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
      int ipStart = b.position();
      b.put((byte) 0x45).put((byte) 0).putShort((short) (frame - 14)).putShort((short) p);
      b.putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0);
      b.put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
      b.putShort(ipStart + 10, ipChecksum(b.array(), ipStart));
      b.putShort((short) 40000).putShort((short) 40002).putShort((short) (8 + 12 + 160));
      b.putShort((short) 0); // no UDP checksum (RFC 768); SIPp recomputes it anyway
      b.put((byte) 0x80).put((byte) (p == 0 ? 0x80 : 0)).putShort((short) p);
      b.putInt(p * 160).putInt(0x5eed1000);
      for (int i = 0; i < 160; i++) {
        b.put((byte) G711.linearToUlaw(x[p * 160 + i]));
      }
    }
    return Files.write(file, b.array());
  }

  private static short ipChecksum(byte[] data, int from) {
    int sum = 0;
    for (int i = from; i < from + 20; i += 2) {
      sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (short) ~sum;
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
