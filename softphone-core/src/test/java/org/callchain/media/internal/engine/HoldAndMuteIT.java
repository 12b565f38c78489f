package org.callchain.media.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaDescription;
import org.callchain.media.MediaDirection;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaSession;
import org.callchain.media.MediaSessionOptions;
import org.callchain.media.PayloadFormat;
import org.callchain.media.internal.audio.WavFormat;
import org.callchain.media.internal.rtp.RtpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hold and resume (RFC 3264 §8.4) change what is sent for real; mute sends silence. */
class HoldAndMuteIT {
  @TempDir Path dir;

  private static MediaDescription to(RawPeer peer, MediaDirection d) {
    return new MediaDescription(peer.address(), PayloadFormat.PCMU, Optional.empty(), 20, d);
  }

  @Test
  void noPacketsWhileNotSendingAndAMarkedTalkspurtOnResume() throws Exception {
    MediaConfig config =
        MediaConfig.builder()
            .portRange(40000, 49999)
            .codecs("PCMU")
            .source(new AudioSourceSpec.Tone(1000))
            .recordDirectory(dir)
            .build();
    try (RtpMediaEngine engine = new RtpMediaEngine(config);
        RawPeer peer = new RawPeer()) {
      MediaSession s = engine.open(new MediaSessionOptions("hold", true));
      s.apply(to(peer, MediaDirection.SENDRECV));
      List<RtpPacket> active = peer.receive(400);
      s.apply(to(peer, MediaDirection.RECVONLY)); // the peer put us on hold
      peer.receive(60); // in flight
      List<RtpPacket> held = peer.receive(400);
      s.apply(to(peer, MediaDirection.INACTIVE));
      List<RtpPacket> inactive = peer.receive(300);
      s.apply(to(peer, MediaDirection.SENDRECV));
      List<RtpPacket> resumed = peer.receive(300);
      MediaOutcome o = s.finish();

      assertTrue(active.size() >= 15, "sending: " + active.size());
      assertEquals(0, held.size(), "recvonly sends nothing");
      assertEquals(0, inactive.size(), "inactive sends nothing");
      assertTrue(resumed.size() >= 10, "resumed: " + resumed.size());
      assertTrue(
          resumed.get(0).marker(), "RFC 3551 §4.1: marker on the first packet after silence");
      int gap =
          (resumed.get(0).sequenceNumber() - active.get(active.size() - 1).sequenceNumber())
              & 0xFFFF;
      assertTrue(gap <= 4, "sequence numbers continue across the hold: gap " + gap);
      // nothing was received: the remote leg of the recording is comfort silence of full length
      WavFormat.Pcm pcm = WavFormat.read(o.recording().orElseThrow().path());
      short[] remote = pcm.channel(1);
      assertTrue(remote.length >= 8000, "playout ran the whole call: " + remote.length);
      for (short v : remote) {
        assertEquals(0, v);
      }
    }
  }

  @Test
  void muteSendsSilenceAtTheSamePace() throws Exception {
    MediaConfig config =
        MediaConfig.builder()
            .portRange(40000, 49999)
            .codecs("PCMU")
            .source(new AudioSourceSpec.Tone(1000))
            .build();
    try (RtpMediaEngine engine = new RtpMediaEngine(config);
        RawPeer peer = new RawPeer()) {
      MediaSession s = engine.open(new MediaSessionOptions("mute", false));
      s.apply(to(peer, MediaDirection.SENDRECV));
      peer.receive(200);
      s.setMuted(true);
      peer.receive(60);
      List<RtpPacket> muted = peer.receive(400);
      s.finish();
      assertTrue(muted.size() >= 15, "still sending: " + muted.size());
      for (RtpPacket p : muted) {
        for (byte b : p.payload()) {
          assertEquals((byte) 0xFF, b, "µ-law silence");
        }
      }
    }
  }
}
