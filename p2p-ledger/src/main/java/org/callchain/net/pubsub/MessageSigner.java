package org.callchain.net.pubsub;

/**
 * Our identity for authoring pubsub messages under the StrictSign policy (pubsub spec "Message
 * Signing"): every message carries our peer id in {@code from}, a sequence number, and a signature
 * made with the key behind that peer id.
 */
public interface MessageSigner {

  /** Our peer id, the bytes that go into {@code from}. */
  byte[] peerId();

  /** Our public key as the libp2p {@code PublicKey} protobuf (peer-ids spec "Keys"). */
  byte[] publicKeyProto();

  /**
   * Whether {@link #publicKeyProto()} can be recovered from {@link #peerId()} (an identity
   * multihash, used for keys of at most 42 bytes). When it can, the message omits the {@code key}
   * field.
   */
  boolean keyInlinedInPeerId();

  /** Signs the bytes with our private key. */
  byte[] sign(byte[] data);
}
