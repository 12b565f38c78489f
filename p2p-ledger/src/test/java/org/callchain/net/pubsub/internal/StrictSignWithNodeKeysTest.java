package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.callchain.net.NodeKey;
import org.callchain.net.pubsub.internal.libp2p.NodeKeyMessageSigner;
import org.callchain.net.pubsub.internal.libp2p.PeerIdSignatureVerifier;
import org.callchain.net.pubsub.internal.proto.RpcProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StrictSign with real libp2p identities (pubsub spec "Message Signing"): the signature covers
 * {@code "libp2p-pubsub:"} plus the message without signature and key; secp256k1 and Ed25519 keys
 * are inlined in their peer ids, so the {@code key} field stays empty; a {@code key} that does not
 * belong to {@code from} fails.
 */
class StrictSignWithNodeKeysTest {
  private final PeerIdSignatureVerifier verifier = new PeerIdSignatureVerifier();

  private static NodeKey key(String type) {
    return type.equals("secp256k1") ? NodeKey.generateSecp256k1() : NodeKey.generateEd25519();
  }

  private static RpcProto.Message unsigned(NodeKey key, String data) {
    return RpcProto.Message.newBuilder()
        .setFrom(ByteString.copyFrom(key.peerId().toBytes()))
        .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
        .setSeqno(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 42}))
        .setTopic("records")
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256k1", "ed25519"})
  void signedMessagePassesAndCarriesNoKeyField(String type) {
    NodeKey key = key(type);
    RpcProto.Message signed =
        StrictSign.sign(unsigned(key, "hello"), new NodeKeyMessageSigner(key));
    assertThat(signed.hasKey()).isFalse();
    assertThat(StrictSign.violation(signed, verifier)).isNull();
    assertThat(
            key.publicKey()
                .verify(StrictSign.signedBytes(signed), signed.getSignature().toByteArray()))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256k1", "ed25519"})
  void tamperedDataOrSeqnoFails(String type) {
    NodeKey key = key(type);
    RpcProto.Message signed =
        StrictSign.sign(unsigned(key, "hello"), new NodeKeyMessageSigner(key));
    assertThat(
            StrictSign.violation(
                signed.toBuilder().setData(ByteString.copyFromUtf8("hellO")).build(), verifier))
        .isEqualTo("bad signature");
    assertThat(
            StrictSign.violation(
                signed.toBuilder().setSeqno(ByteString.copyFrom(new byte[8])).build(), verifier))
        .isEqualTo("bad signature");
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256k1", "ed25519"})
  void keyFieldOfAnotherPeerFails(String type) {
    NodeKey key = key(type);
    NodeKey other = key(type);
    RpcProto.Message signed =
        StrictSign.sign(unsigned(key, "hello"), new NodeKeyMessageSigner(key));
    RpcProto.Message withOwnKey =
        signed.toBuilder().setKey(ByteString.copyFrom(key.publicKey().toProtobuf())).build();
    RpcProto.Message withOtherKey =
        signed.toBuilder().setKey(ByteString.copyFrom(other.publicKey().toProtobuf())).build();
    assertThat(StrictSign.violation(withOwnKey, verifier)).isNull();
    assertThat(StrictSign.violation(withOtherKey, verifier)).isEqualTo("bad signature");
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256k1", "ed25519"})
  void messageSignedByAnotherKeyFails(String type) {
    NodeKey author = key(type);
    NodeKey impostor = key(type);
    RpcProto.Message forged =
        StrictSign.sign(unsigned(author, "hello"), new NodeKeyMessageSigner(impostor));
    assertThat(StrictSign.violation(forged, verifier)).isEqualTo("bad signature");
  }
}
