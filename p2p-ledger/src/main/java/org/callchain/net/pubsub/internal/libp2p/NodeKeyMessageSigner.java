package org.callchain.net.pubsub.internal.libp2p;

import org.callchain.net.NodeKey;
import org.callchain.net.pubsub.MessageSigner;

/**
 * Signs our pubsub messages with the node's libp2p identity key (secp256k1 device key or Ed25519).
 * Both key types have protobufs of at most 42 bytes, so their peer ids inline the key and messages
 * carry no {@code key} field (pubsub spec "Message Signing").
 */
public final class NodeKeyMessageSigner implements MessageSigner {
  private final NodeKey key;
  private final byte[] peerId;
  private final boolean inlined;

  public NodeKeyMessageSigner(NodeKey key) {
    this.key = key;
    this.peerId = key.peerId().toBytes();
    this.inlined = key.peerId().embeddedPublicKey().isPresent();
  }

  @Override
  public byte[] peerId() {
    return peerId.clone();
  }

  @Override
  public byte[] publicKeyProto() {
    return key.publicKey().toProtobuf();
  }

  @Override
  public boolean keyInlinedInPeerId() {
    return inlined;
  }

  @Override
  public byte[] sign(byte[] data) {
    return key.sign(data);
  }
}
