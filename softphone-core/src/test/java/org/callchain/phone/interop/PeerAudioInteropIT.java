package org.callchain.phone.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callchain.media.AudioSinkSpec;
import org.callchain.media.AudioSourceSpec;
import org.callchain.media.MediaConfig;
import org.callchain.media.MediaEngine;
import org.callchain.media.MediaEngines;
import org.callchain.media.internal.audio.WavFormat;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Audio across real peers, found where a person would hear it: SIPp ({@code rtp_stream} of a G.711
 * file) and baresip ({@code aufile} playing a WAV) each send a 1 kHz tone, and it must be in the
 * remote (right) channel of our call recording; our phone sends 600 Hz, which baresip's {@code
 * sndfile} module must have decoded. Different tones per direction, so that a leg cannot pass by
 * echoing its own audio.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PeerAudioInteropIT {
  private static final double PEER_TONE = 1000;
  private static final double OUR_TONE = 600;
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** At least 1.5 s of the peer's ~3 s of tone must come through (a busy machine loses some). */
  private static final int MIN_TONE_BLOCKS = 15;

  private Path dir;
  private MediaEngine media;
  private Phone phone;
  private final BlockingQueue<FinishedCall> finished = new LinkedBlockingQueue<>();

  @BeforeEach
  void startPhone() throws Exception {
    dir = Files.createTempDirectory("callchain-peer-audio-");
    Files.createDirectories(dir.resolve("recordings"));
    media =
        MediaEngines.rtp(
            MediaConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .portRange(52000, 53999)
                .codecs("PCMU,PCMA")
                .source(new AudioSourceSpec.Tone(OUR_TONE))
                .sink(new AudioSinkSpec.Discard())
                .recordDirectory(dir.resolve("recordings"))
                .recordByDefault(true)
                .build());
    phone =
        Phone.start(
            PhoneConfig.builder()
                .bindAddress("127.0.0.1")
                .sipPort(FreePorts.udpAndTcp())
                .user("callchain")
                .mediaEngine(media)
                .finishedCallSink(finished::add)
                .build());
    phone.addCallListener(
        event -> {
          if (event instanceof CallEvent.Incoming in && in.call().state() == CallState.INCOMING) {
            in.call().answer();
          }
        });
  }

  @AfterEach
  void stopPhone() {
    if (phone != null) {
      phone.close();
    }
    if (media != null) {
      media.close();
    }
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void sippAudioIsInTheRemoteChannelOfOurRecording() throws Exception {
    Path ulaw = PeerAudio.writeUlaw(dir.resolve("tone-1k.ulaw"), PEER_TONE, 3000);
    SippResult uac =
        Sipp.scenario("sipp/uac-streams-audio.xml")
            .target("127.0.0.1:" + phone.sipPort())
            .service("callchain")
            .file("peer-tone.ulaw", Files.readAllBytes(ulaw))
            .calls(1)
            .run();
    assertThat(uac.allSuccessful(1)).as(uac.describe()).isTrue();
    WavFormat.Pcm rec = recordingOfTheCall();
    assertPeerToneInRemoteChannel(rec, "SIPp");
  }

  @Test
  void sippReplayedRtpCaptureIsInTheRemoteChannelOfOurRecording() throws Exception {
    Path pcap = PeerAudio.writeRtpPcap(dir.resolve("tone-1k.pcap"), PEER_TONE, 3000);
    SippResult uac =
        Sipp.scenario("sipp/uac-plays-pcap.xml")
            .target("127.0.0.1:" + phone.sipPort())
            .service("callchain")
            .file("peer-tone.pcap", Files.readAllBytes(pcap))
            .calls(1)
            .run();
    assertThat(uac.allSuccessful(1)).as(uac.describe()).isTrue();
    assertPeerToneInRemoteChannel(recordingOfTheCall(), "SIPp pcap");
  }

  @Test
  void baresipAudioIsInOurRecordingAndOursInBaresipsDecodedAudio() throws Exception {
    Path wav = PeerAudio.writeWav(dir.resolve("tone-1k.wav"), PEER_TONE, 8000, 1, 6000);
    Path dumps = Files.createDirectories(dir.resolve("baresip-dumps"));
    try (Baresip baresip = Baresip.startPlaying(wav, 8000, 1, dumps)) {
      baresip.dial("sip:callchain@127.0.0.1:" + phone.sipPort());
      baresip.awaitEvent("CALL_ESTABLISHED", WAIT);
      Thread.sleep(3500); // the tone plays: a call of a known length
      baresip.hangup();
      baresip.awaitEvent("CALL_CLOSED", WAIT);
      WavFormat.Pcm rec = recordingOfTheCall();
      assertPeerToneInRemoteChannel(rec, "baresip");

      Path decoded = decodedDump(dumps, baresip);
      WavFormat.Pcm heard = WavFormat.read(decoded);
      short[] mono = heard.mono();
      assertThat(PeerAudio.blocksWithTone(mono, heard.sampleRate(), OUR_TONE))
          .as(
              "our 600 Hz in baresip's decoded audio %s (%d Hz): %s",
              decoded.getFileName(),
              heard.sampleRate(),
              PeerAudio.blockMap(mono, heard.sampleRate(), OUR_TONE))
          .isGreaterThanOrEqualTo(MIN_TONE_BLOCKS);
    }
  }

  private WavFormat.Pcm recordingOfTheCall() throws Exception {
    FinishedCall call = finished.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(call).as("a finished call").isNotNull();
    assertThat(call.disposition()).isEqualTo(CallDisposition.ANSWERED);
    Path file = call.media().recording().orElseThrow().path();
    WavFormat.Pcm pcm = WavFormat.read(file);
    assertThat(pcm.channels()).isEqualTo(2);
    assertThat(pcm.sampleRate()).isEqualTo(8000);
    return pcm;
  }

  private static void assertPeerToneInRemoteChannel(WavFormat.Pcm rec, String peer) {
    short[] local = rec.channel(0);
    short[] remote = rec.channel(1);
    int rate = rec.sampleRate();
    assertThat(PeerAudio.blocksWithTone(remote, rate, PEER_TONE))
        .as("%s's 1 kHz in our recording's remote channel: %s", peer, blocks(remote, rate))
        .isGreaterThanOrEqualTo(MIN_TONE_BLOCKS);
    assertThat(PeerAudio.blocksWithTone(remote, rate, OUR_TONE))
        .as("our own 600 Hz is not in the remote channel")
        .isZero();
    assertThat(PeerAudio.blocksWithTone(local, rate, OUR_TONE))
        .as("our 600 Hz in the local channel")
        .isGreaterThanOrEqualTo(MIN_TONE_BLOCKS);
    assertThat(PeerAudio.blocksWithTone(local, rate, PEER_TONE))
        .as("the peer's tone is not in the local channel")
        .isZero();
  }

  private static String blocks(short[] x, int rate) {
    return PeerAudio.blockMap(x, rate, PEER_TONE);
  }

  /** sndfile writes {@code ...-dec.wav} for the decoded stream (and {@code -enc} for its own). */
  private static Path decodedDump(Path dumps, Baresip baresip) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dumps)) {
      files = s.toList();
    }
    return files.stream()
        .filter(p -> p.getFileName().toString().endsWith("-dec.wav"))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no *-dec.wav from baresip's sndfile in "
                        + dumps
                        + ": "
                        + files
                        + "\n"
                        + baresip.outputTail()));
  }
}
