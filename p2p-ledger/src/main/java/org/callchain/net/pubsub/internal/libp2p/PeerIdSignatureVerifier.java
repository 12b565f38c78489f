package org.callchain.net.pubsub.internal.libp2p;

import java.util.Optional;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.callchain.net.pubsub.SignatureVerifier;

/**
 * Verifies message signatures with libp2p's key rules (peer-ids spec): the author's key is the
 * message's {@code key} field, which must hash to the {@code from} peer id, or else the key inlined
 * in an identity-multihash {@code from}. Unknown key types and malformed ids fail verification.
 */
public final class PeerIdSignatureVerifier implements SignatureVerifier {

  @Override
  public boolean verify(byte[] fromPeerId, byte[] keyProto, byte[] signedData, byte[] signature) {
    try {
      PeerId from = PeerId.fromBytes(fromPeerId);
      Optional<PeerPublicKey> key;
      if (keyProto != null) {
        PeerPublicKey given = PeerPublicKey.fromProtobuf(keyProto);
        if (!given.toPeerId().equals(from)) {
          return false;
        }
        key = Optional.of(given);
      } else {
        key = from.embeddedPublicKey();
      }
      return key.isPresent() && key.get().verify(signedData, signature);
    } catch (InvalidKeyException | RuntimeException e) {
      return false;
    }
  }
}
