package org.callchain.net.pubsub;

/**
 * Checks a message signature against its author (pubsub spec "Message Signing"). The verifier owns
 * the libp2p key rules: it takes the public key from {@code keyProto} when present (and then must
 * check that it hashes to {@code fromPeerId}), otherwise it extracts the key inlined in an
 * identity-multihash peer id.
 */
@FunctionalInterface
public interface SignatureVerifier {

  /**
   * @param fromPeerId the message's {@code from} bytes
   * @param keyProto the message's {@code key} field, or {@code null} when absent
   * @param signedData {@code "libp2p-pubsub:"} followed by the marshalled message without its
   *     signature and key
   * @param signature the message's {@code signature} field
   * @return true only when the key belongs to {@code fromPeerId} and the signature is valid
   */
  boolean verify(byte[] fromPeerId, byte[] keyProto, byte[] signedData, byte[] signature);
}
