package org.callchain.net.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.callchain.net.NodeKey;
import org.junit.jupiter.api.Test;

/** The XX handshake with the libp2p payload (noise-libp2p spec) and its failure modes. */
class NoiseXXHandshakeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final NodeKey initiatorKey = NodeKey.generateSecp256k1();
  private final NodeKey responderKey = NodeKey.generateEd25519();

  @Test
  void handshakeAuthenticatesBothPeersAndKeysTheTransport() throws Exception {
    NoiseXXHandshake initiator =
        new NoiseXXHandshake(NoiseXXHandshake.Role.INITIATOR, initiatorKey, RANDOM);
    NoiseXXHandshake responder =
        new NoiseXXHandshake(NoiseXXHandshake.Role.RESPONDER, responderKey, RANDOM);
    byte[] m1 = initiator.start();
    assertThat(m1).hasSize(32); // e only, empty payload
    byte[] m2 = responder.onMessage(m1).orElseThrow();
    byte[] m3 = initiator.onMessage(m2).orElseThrow();
    assertThat(responder.onMessage(m3)).isEmpty();

    assertThat(initiator.result().remotePeer()).isEqualTo(responderKey.peerId());
    assertThat(responder.result().remotePeer()).isEqualTo(initiatorKey.peerId());

    NoiseTransport a = initiator.result().transport();
    NoiseTransport b = responder.result().transport();
    for (int i = 0; i < 3; i++) {
      byte[] hello = ("hello " + i).getBytes(StandardCharsets.US_ASCII);
      assertThat(b.decrypt(a.encrypt(hello))).isEqualTo(hello);
      assertThat(a.decrypt(b.encrypt(hello))).isEqualTo(hello);
    }
  }

  @Test
  void signatureOverAnotherStaticKeyIsRejected() throws Exception {
    byte[] otherStatic = new byte[32];
    RANDOM.nextBytes(otherStatic);
    NoiseXXHandshake initiator =
        new NoiseXXHandshake(NoiseXXHandshake.Role.INITIATOR, initiatorKey, RANDOM);
    NoiseXXHandshake forger =
        new NoiseXXHandshake(
            NoiseXXHandshake.Role.RESPONDER,
            RANDOM,
            staticKey -> NoiseXXHandshake.signedPayload(responderKey, otherStatic));
    byte[] m2 = forger.onMessage(initiator.start()).orElseThrow();
    assertThatThrownBy(() -> initiator.onMessage(m2))
        .isInstanceOf(NoiseException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void identityKeyThatDidNotSignIsRejected() throws Exception {
    NodeKey impostor = NodeKey.generateSecp256k1();
    NoiseXXHandshake initiator =
        new NoiseXXHandshake(NoiseXXHandshake.Role.INITIATOR, initiatorKey, RANDOM);
    NoiseXXHandshake forger =
        new NoiseXXHandshake(
            NoiseXXHandshake.Role.RESPONDER,
            RANDOM,
            staticKey -> {
              byte[] real = NoiseXXHandshake.signedPayload(impostor, staticKey);
              byte[] claimed = NoiseXXHandshake.signedPayload(responderKey, staticKey);
              // identity_key of the victim, signature of the impostor
              return swapSignature(claimed, real);
            });
    byte[] m2 = forger.onMessage(initiator.start()).orElseThrow();
    assertThatThrownBy(() -> initiator.onMessage(m2)).isInstanceOf(NoiseException.class);
  }

  @Test
  void truncatedAndTamperedMessagesFail() throws Exception {
    NoiseXXHandshake initiator =
        new NoiseXXHandshake(NoiseXXHandshake.Role.INITIATOR, initiatorKey, RANDOM);
    NoiseXXHandshake responder =
        new NoiseXXHandshake(NoiseXXHandshake.Role.RESPONDER, responderKey, RANDOM);
    byte[] m2 = responder.onMessage(initiator.start()).orElseThrow();
    assertThatThrownBy(() -> initiator.onMessage(Arrays.copyOf(m2, 40)))
        .isInstanceOf(NoiseException.class);

    NoiseXXHandshake initiator2 =
        new NoiseXXHandshake(NoiseXXHandshake.Role.INITIATOR, initiatorKey, RANDOM);
    NoiseXXHandshake responder2 =
        new NoiseXXHandshake(NoiseXXHandshake.Role.RESPONDER, responderKey, RANDOM);
    byte[] tampered = responder2.onMessage(initiator2.start()).orElseThrow();
    tampered[40] ^= 1;
    assertThatThrownBy(() -> initiator2.onMessage(tampered))
        .isInstanceOf(NoiseException.class)
        .hasMessageContaining("bad tag");

    NoiseXXHandshake responder3 =
        new NoiseXXHandshake(NoiseXXHandshake.Role.RESPONDER, responderKey, RANDOM);
    assertThatThrownBy(() -> responder3.onMessage(new byte[10])).isInstanceOf(NoiseException.class);
  }

  @Test
  void replayedTransportMessageFailsBecauseNoncesAdvance() throws Exception {
    NoiseXXHandshake initiator =
        new NoiseXXHandshake(NoiseXXHandshake.Role.INITIATOR, initiatorKey, RANDOM);
    NoiseXXHandshake responder =
        new NoiseXXHandshake(NoiseXXHandshake.Role.RESPONDER, responderKey, RANDOM);
    byte[] m2 = responder.onMessage(initiator.start()).orElseThrow();
    responder.onMessage(initiator.onMessage(m2).orElseThrow());
    byte[] sealed = initiator.result().transport().encrypt(new byte[] {1, 2, 3});
    responder.result().transport().decrypt(sealed);
    assertThatThrownBy(() -> responder.result().transport().decrypt(sealed))
        .isInstanceOf(NoiseException.class);
  }

  /** Returns {@code claimed} with the identity_sig of {@code real}. */
  private static byte[] swapSignature(byte[] claimed, byte[] real) {
    try {
      var claimedPayload =
          org.callchain.net.internal.noise.pb.NoiseProtos.NoiseHandshakePayload.parseFrom(claimed);
      var realPayload =
          org.callchain.net.internal.noise.pb.NoiseProtos.NoiseHandshakePayload.parseFrom(real);
      return claimedPayload.toBuilder()
          .setIdentitySig(realPayload.getIdentitySig())
          .build()
          .toByteArray();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
