package org.callchain.net.pubsub.internal.libp2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.callchain.net.NodeKey;
import org.junit.jupiter.api.Test;

/**
 * The author-key cache of {@link PeerIdSignatureVerifier}: a key inlined in a {@code from} peer id
 * is decoded once, and a cached key never turns a bad signature, another author's signature or a
 * malformed id into a good verdict.
 */
class PeerIdSignatureVerifierTest {
  private static final byte[] DATA = "libp2p-pubsub:record".getBytes(StandardCharsets.UTF_8);

  @Test
  void cachedAuthorKeyKeepsEveryVerdict() {
    PeerIdSignatureVerifier verifier = new PeerIdSignatureVerifier();
    NodeKey author = NodeKey.generateSecp256k1();
    NodeKey other = NodeKey.generateSecp256k1();
    byte[] from = author.peerId().toBytes();
    byte[] good = author.sign(DATA);

    assertThat(verifier.verify(from, null, DATA, good)).isTrue();
    assertThat(verifier.cachedAuthors()).isEqualTo(1);
    assertThat(verifier.verify(from, null, DATA, good)).isTrue();
    assertThat(verifier.cachedAuthors()).isEqualTo(1);

    byte[] tampered = DATA.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThat(verifier.verify(from, null, tampered, good)).isFalse();
    assertThat(verifier.verify(from, null, DATA, other.sign(DATA))).isFalse();
    assertThat(verifier.verify(other.peerId().toBytes(), null, DATA, good)).isFalse();
    assertThat(verifier.cachedAuthors()).isEqualTo(2);
  }

  @Test
  void malformedIdsAreRefusedAndNotCached() {
    PeerIdSignatureVerifier verifier = new PeerIdSignatureVerifier();
    NodeKey author = NodeKey.generateSecp256k1();
    byte[] from = author.peerId().toBytes();
    byte[] broken = from.clone();
    broken[broken.length - 1] ^= 0x55; // the inlined point no longer lies on the curve or differs
    assertThat(verifier.verify(broken, null, DATA, author.sign(DATA))).isFalse();
    assertThat(verifier.verify(new byte[] {0, 3, 1, 2, 3}, null, DATA, new byte[8])).isFalse();
    assertThat(verifier.verify(from, null, DATA, author.sign(DATA))).isTrue();
  }

  @Test
  void cacheStaysBounded() {
    PeerIdSignatureVerifier verifier = new PeerIdSignatureVerifier();
    NodeKey first = NodeKey.generateEd25519();
    assertThat(verifier.verify(first.peerId().toBytes(), null, DATA, first.sign(DATA))).isTrue();
    for (int i = 0; i < PeerIdSignatureVerifier.CACHED_AUTHORS; i++) {
      NodeKey key = NodeKey.generateEd25519();
      verifier.verify(key.peerId().toBytes(), null, DATA, new byte[64]);
    }
    assertThat(verifier.cachedAuthors()).isEqualTo(PeerIdSignatureVerifier.CACHED_AUTHORS);
    assertThat(verifier.verify(first.peerId().toBytes(), null, DATA, first.sign(DATA))).isTrue();
  }
}
