package org.callchain.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.Multiaddr;
import org.callchain.net.NodeKey;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.callchain.net.internal.multistream.MultistreamNegotiator;
import org.callchain.net.internal.noise.NoiseException;
import org.callchain.net.internal.noise.NoiseXXHandshake;
import org.callchain.net.internal.yamux.YamuxSession;

/**
 * Jazzer fuzz targets for every decoder that reads bytes from the network. In a normal build they
 * run as regression tests over the seed inputs in {@code FrameDecoderFuzzTestInputs/<method>/}
 * (plus an empty input); {@code JAZZER_FUZZ=1} turns them into fuzzing sessions. The property is
 * always the same: hostile input leads to a checked rejection or a closed channel, never to an
 * unexpected exception.
 */
class FrameDecoderFuzzTest {
  private static final NodeKey KEY = NodeKey.generateEd25519();

  @FuzzTest(maxDuration = "30s")
  void yamuxSessionSurvivesAnyInput(byte[] data) {
    YamuxSession session =
        new YamuxSession(
            false,
            new YamuxSession.Limits(8, 1 << 20, Duration.ofSeconds(30)),
            stream -> stream.setReader((s, d) -> {}));
    EmbeddedChannel channel = new EmbeddedChannel(session);
    // Any exception escaping the decoder would be rethrown here by the embedded channel.
    channel.writeInbound(Unpooled.wrappedBuffer(data));
    channel.runPendingTasks();
    channel.finishAndReleaseAll();
  }

  @FuzzTest(maxDuration = "30s")
  void multistreamListenerSurvivesAnyInput(byte[] data) {
    MultistreamNegotiator listener =
        MultistreamNegotiator.listener(p -> p.equals("/noise"), () -> List.of("/noise"), b -> {});
    listener.start();
    MultistreamNegotiator.Outcome outcome = listener.feed(data);
    assertThat(outcome).isNotNull();
    if (outcome instanceof MultistreamNegotiator.Selected selected) {
      assertThat(selected.protocol()).isEqualTo("/noise");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void noiseResponderRejectsForgedHandshakes(byte[] data) {
    NoiseXXHandshake responder =
        new NoiseXXHandshake(NoiseXXHandshake.Role.RESPONDER, KEY, new SecureRandom());
    try {
      responder.onMessage(data);
      responder.onMessage(data);
      // Reaching completion would need a valid payload signed by the sender's static key.
      assertThat(responder.isComplete()).isFalse();
    } catch (NoiseException expected) {
      // rejected, as it should be
    }
  }

  @FuzzTest(maxDuration = "30s")
  void multiaddrBinaryCodecRoundTripsOrRejects(byte[] data) {
    try {
      Multiaddr address = Multiaddr.fromBytes(data);
      assertThat(Multiaddr.fromBytes(address.toBytes())).isEqualTo(address);
      assertThat(Multiaddr.parse(address.toString())).isEqualTo(address);
    } catch (InvalidMultiaddrException expected) {
      // rejected
    }
  }

  @FuzzTest(maxDuration = "30s")
  void keyAndPeerIdDecodersRoundTripOrReject(byte[] data) {
    try {
      PeerPublicKey key = PeerPublicKey.fromProtobuf(data);
      assertThat(PeerPublicKey.fromProtobuf(key.toProtobuf())).isEqualTo(key);
    } catch (InvalidKeyException expected) {
      // rejected
    }
    try {
      PeerId id = PeerId.fromBytes(data);
      assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
      assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    } catch (InvalidKeyException expected) {
      // rejected
    }
  }
}
