package org.callchain.net.internal.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.NodeKey;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.callchain.net.internal.noise.pb.NoiseProtos.NoiseHandshakePayload;

/**
 * The XX handshake (Noise §7.5) as noise-libp2p runs it, one object per connection:
 *
 * <pre>
 *   -> e                      (initiator, empty payload)
 *   <- e, ee, s, es           (responder, its signed identity payload)
 *   -> s, se                  (initiator, its signed identity payload)
 * </pre>
 *
 * Each side's payload is a {@code NoiseHandshakePayload} whose {@code identity_sig} signs {@code
 * "noise-libp2p-static-key:" || static X25519 public key} with the libp2p identity key. We verify
 * it before trusting anything else the peer says; a bad signature ends the handshake (noise-libp2p,
 * "The libp2p Handshake Payload"). We send no extensions, so the muxer is always negotiated with
 * multistream-select afterwards.
 */
public final class NoiseXXHandshake {
  /** Which end of the handshake we are. */
  public enum Role {
    INITIATOR,
    RESPONDER
  }

  /** The authenticated peer and the transport keys. */
  public record Result(PeerPublicKey remoteKey, PeerId remotePeer, NoiseTransport transport) {}

  static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_LENGTH = 32;

  private final Role role;
  private final SymmetricState state = new SymmetricState();
  private final byte[] staticPrivate = new byte[KEY_LENGTH];
  private final byte[] staticPublic = new byte[KEY_LENGTH];
  private final byte[] ephemeralPrivate = new byte[KEY_LENGTH];
  private final byte[] ephemeralPublic = new byte[KEY_LENGTH];
  private final Function<byte[], byte[]> payloadForStaticKey;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private int step;
  private Result result;

  public NoiseXXHandshake(Role role, NodeKey identity, SecureRandom random) {
    this(role, random, staticKey -> signedPayload(identity, staticKey));
  }

  /** For tests that need to send a forged payload. */
  NoiseXXHandshake(Role role, SecureRandom random, Function<byte[], byte[]> payloadForStaticKey) {
    this.role = role;
    this.payloadForStaticKey = payloadForStaticKey;
    X25519.generatePrivateKey(random, staticPrivate);
    X25519.generatePublicKey(staticPrivate, 0, staticPublic, 0);
    X25519.generatePrivateKey(random, ephemeralPrivate);
    X25519.generatePublicKey(ephemeralPrivate, 0, ephemeralPublic, 0);
  }

  /** Our signed payload for a static key: identity key protobuf and signature. */
  static byte[] signedPayload(NodeKey identity, byte[] staticKey) {
    return NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.publicKey().toProtobuf()))
        .setIdentitySig(
            ByteString.copyFrom(identity.sign(SymmetricState.concat(SIGNATURE_PREFIX, staticKey))))
        .build()
        .toByteArray();
  }

  /** The initiator's first message ({@code -> e}). */
  public byte[] start() {
    if (role != Role.INITIATOR || step != 0) {
      throw new IllegalStateException("only the initiator starts, once");
    }
    step = 1;
    state.mixHash(ephemeralPublic);
    return SymmetricState.concat(ephemeralPublic, state.encryptAndHash(new byte[0]));
  }

  /**
   * Consumes the peer's next handshake message and returns our reply, if the pattern has one.
   *
   * @throws NoiseException if the message is malformed, fails to decrypt, or the identity payload
   *     does not verify
   */
  public Optional<byte[]> onMessage(byte[] message) throws NoiseException {
    if (role == Role.RESPONDER && step == 0) {
      step = 1;
      readEphemeral(message);
      state.decryptAndHash(Arrays.copyOfRange(message, KEY_LENGTH, message.length));
      return Optional.of(writeResponderMessage());
    }
    if (role == Role.INITIATOR && step == 1) {
      step = 2;
      readEphemeral(message);
      state.mixKey(dh(ephemeralPrivate, remoteEphemeral));
      int staticEnd = KEY_LENGTH * 2 + CipherState.TAG_LENGTH;
      if (message.length < staticEnd + CipherState.TAG_LENGTH) {
        throw new NoiseException("second handshake message truncated");
      }
      remoteStatic = state.decryptAndHash(Arrays.copyOfRange(message, KEY_LENGTH, staticEnd));
      state.mixKey(dh(ephemeralPrivate, remoteStatic));
      byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, staticEnd, message.length));
      Result verified = verify(payload);
      byte[] encryptedStatic = state.encryptAndHash(staticPublic);
      state.mixKey(dh(staticPrivate, remoteEphemeral));
      byte[] ours = state.encryptAndHash(payloadForStaticKey.apply(staticPublic));
      CipherState[] ciphers = state.split();
      result =
          new Result(
              verified.remoteKey(),
              verified.remotePeer(),
              new NoiseTransport(ciphers[0], ciphers[1]));
      return Optional.of(SymmetricState.concat(encryptedStatic, ours));
    }
    if (role == Role.RESPONDER && step == 2) {
      step = 3;
      int staticEnd = KEY_LENGTH + CipherState.TAG_LENGTH;
      if (message.length < staticEnd + CipherState.TAG_LENGTH) {
        throw new NoiseException("third handshake message truncated");
      }
      remoteStatic = state.decryptAndHash(Arrays.copyOfRange(message, 0, staticEnd));
      state.mixKey(dh(ephemeralPrivate, remoteStatic));
      byte[] payload = state.decryptAndHash(Arrays.copyOfRange(message, staticEnd, message.length));
      Result verified = verify(payload);
      CipherState[] ciphers = state.split();
      result =
          new Result(
              verified.remoteKey(),
              verified.remotePeer(),
              new NoiseTransport(ciphers[1], ciphers[0]));
      return Optional.empty();
    }
    throw new NoiseException("unexpected handshake message");
  }

  /** Whether the handshake has finished and {@link #result()} is available. */
  public boolean isComplete() {
    return result != null;
  }

  public Result result() {
    if (result == null) {
      throw new IllegalStateException("handshake not complete");
    }
    return result;
  }

  private byte[] writeResponderMessage() throws NoiseException {
    step = 2;
    state.mixHash(ephemeralPublic);
    state.mixKey(dh(ephemeralPrivate, remoteEphemeral));
    byte[] encryptedStatic = state.encryptAndHash(staticPublic);
    state.mixKey(dh(staticPrivate, remoteEphemeral));
    byte[] payload = state.encryptAndHash(payloadForStaticKey.apply(staticPublic));
    return SymmetricState.concat(SymmetricState.concat(ephemeralPublic, encryptedStatic), payload);
  }

  private void readEphemeral(byte[] message) throws NoiseException {
    if (message.length < KEY_LENGTH) {
      throw new NoiseException("handshake message shorter than an ephemeral key");
    }
    remoteEphemeral = Arrays.copyOf(message, KEY_LENGTH);
    state.mixHash(remoteEphemeral);
  }

  private Result verify(byte[] payloadBytes) throws NoiseException {
    NoiseHandshakePayload payload;
    try {
      payload = NoiseHandshakePayload.parseFrom(payloadBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed NoiseHandshakePayload", e);
    }
    if (!payload.hasIdentityKey() || !payload.hasIdentitySig()) {
      throw new NoiseException("NoiseHandshakePayload without identity key or signature");
    }
    PeerPublicKey key;
    try {
      key = PeerPublicKey.fromProtobuf(payload.getIdentityKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new NoiseException("invalid identity key in handshake payload", e);
    }
    byte[] signed = SymmetricState.concat(SIGNATURE_PREFIX, remoteStatic);
    if (!key.verify(signed, payload.getIdentitySig().toByteArray())) {
      throw new NoiseException("identity signature over the Noise static key does not verify");
    }
    return new Result(key, key.toPeerId(), null);
  }

  private static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
    byte[] shared = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
      throw new NoiseException("X25519 produced the all-zero shared secret (low-order point)");
    }
    return shared;
  }
}
