package org.callchain.net.pubsub.internal;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.callchain.net.pubsub.MessageSigner;
import org.callchain.net.pubsub.SignatureVerifier;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * The StrictSign signature policy (pubsub spec "Message Signing", "Signature Policy Options"):
 * every message carries {@code from}, an 8-byte {@code seqno} and a {@code signature} over the
 * bytes {@code "libp2p-pubsub:"} followed by the message marshalled without {@code signature} and
 * {@code key}. {@code key} is present only when the author's public key cannot be recovered from
 * its peer id.
 */
final class StrictSign {
  static final int SEQNO_LENGTH = 8;
  private static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

  private StrictSign() {}

  static RpcProto.Message sign(RpcProto.Message unsigned, MessageSigner signer) {
    byte[] signature = signer.sign(signedBytes(unsigned));
    RpcProto.Message.Builder b = unsigned.toBuilder().setSignature(ByteString.copyFrom(signature));
    if (!signer.keyInlinedInPeerId()) {
      b.setKey(ByteString.copyFrom(signer.publicKeyProto()));
    }
    return b.build();
  }

  /** Why a message fails the policy, or null when it passes. */
  static String violation(RpcProto.Message m, SignatureVerifier verifier) {
    if (!m.hasFrom() || m.getFrom().isEmpty()) {
      return "no from";
    }
    if (!m.hasSeqno() || m.getSeqno().size() != SEQNO_LENGTH) {
      return "seqno is not 8 bytes";
    }
    if (!m.hasSignature()) {
      return "no signature";
    }
    byte[] key = m.hasKey() ? m.getKey().toByteArray() : null;
    boolean valid;
    try {
      valid =
          verifier.verify(
              m.getFrom().toByteArray(), key, signedBytes(m), m.getSignature().toByteArray());
    } catch (RuntimeException e) {
      valid = false;
    }
    return valid ? null : "bad signature";
  }

  static byte[] signedBytes(RpcProto.Message m) {
    byte[] body = m.toBuilder().clearSignature().clearKey().build().toByteArray();
    byte[] out = new byte[PREFIX.length + body.length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(body, 0, out, PREFIX.length, body.length);
    return out;
  }
}
