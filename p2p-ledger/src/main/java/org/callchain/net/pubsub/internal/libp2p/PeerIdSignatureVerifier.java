package org.callchain.net.pubsub.internal.libp2p;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.callchain.net.pubsub.SignatureVerifier;

/**
 * Verifies message signatures with libp2p's key rules (peer-ids spec): the author's key is the
 * message's {@code key} field, which must hash to the {@code from} peer id, or else the key inlined
 * in an identity-multihash {@code from}. Unknown key types and malformed ids fail verification.
 *
 * <p>The keys inlined in {@code from} ids are decoded once per author and kept in a bounded LRU
 * cache: a secp256k1 key is a compressed point whose decompression (a field square root) costs
 * about a third of a verification, and every message of the same author carries the same key. The
 * cache only ever holds keys derived from the id bytes themselves, so it cannot change a verdict.
 * Safe for use from several threads.
 */
public final class PeerIdSignatureVerifier implements SignatureVerifier {
  /** Authors whose decoded keys are kept; a company's devices fit easily. */
  static final int CACHED_AUTHORS = 4096;

  private final Map<ByteBuffer, PeerPublicKey> embeddedKeys =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, PeerPublicKey> eldest) {
          return size() > CACHED_AUTHORS;
        }
      };

  @Override
  public boolean verify(byte[] fromPeerId, byte[] keyProto, byte[] signedData, byte[] signature) {
    try {
      Optional<PeerPublicKey> key;
      if (keyProto != null) {
        PeerId from = PeerId.fromBytes(fromPeerId);
        PeerPublicKey given = PeerPublicKey.fromProtobuf(keyProto);
        if (!given.toPeerId().equals(from)) {
          return false;
        }
        key = Optional.of(given);
      } else {
        key = embeddedKey(fromPeerId);
      }
      return key.isPresent() && key.get().verify(signedData, signature);
    } catch (InvalidKeyException | RuntimeException e) {
      return false;
    }
  }

  private Optional<PeerPublicKey> embeddedKey(byte[] fromPeerId) throws InvalidKeyException {
    ByteBuffer author = ByteBuffer.wrap(fromPeerId.clone());
    synchronized (embeddedKeys) {
      PeerPublicKey cached = embeddedKeys.get(author);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    Optional<PeerPublicKey> key = PeerId.fromBytes(fromPeerId).embeddedPublicKey();
    if (key.isPresent()) {
      synchronized (embeddedKeys) {
        embeddedKeys.put(author, key.get());
      }
    }
    return key;
  }

  /** How many authors' keys are cached (for tests). */
  int cachedAuthors() {
    synchronized (embeddedKeys) {
      return embeddedKeys.size();
    }
  }
}
