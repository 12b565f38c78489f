package org.callchain.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.callchain.net.internal.crypto.Hashes;
import org.callchain.net.internal.multiformats.Base32;
import org.callchain.net.internal.multiformats.Base58;

/**
 * A peer id: the multihash of a peer's {@code PublicKey} protobuf, the identity multihash when the
 * protobuf has at most 42 bytes (Ed25519 and secp256k1 keys: the key can be read back out of the
 * id) and the SHA-256 multihash otherwise. Its text forms are base58btc of the multihash ({@code
 * 12D3KooW...} for Ed25519, {@code 16Uiu2HA...} for secp256k1) and a CIDv1 with the {@code
 * libp2p-key} codec in multibase base32 ({@code bafz...}).
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/peer-ids/peer-ids.md#peer-ids">peer-ids
 *     spec, Peer Ids</a>
 */
public final class PeerId implements Comparable<PeerId> {
  private static final int IDENTITY = 0x00;
  private static final int SHA2_256 = 0x12;
  private static final int MAX_INLINE_KEY_BYTES = 42;
  private static final int CID_V1 = 0x01;
  private static final int LIBP2P_KEY_CODEC = 0x72;

  private final byte[] multihash;

  private PeerId(byte[] multihash) {
    this.multihash = multihash;
  }

  /** The peer id of a public key. */
  public static PeerId fromPublicKey(PeerPublicKey key) {
    byte[] encoded = key.toProtobuf();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (encoded.length <= MAX_INLINE_KEY_BYTES) {
      out.write(IDENTITY);
      Varint.write(encoded.length, out);
      out.write(encoded, 0, encoded.length);
    } else {
      out.write(SHA2_256);
      out.write(32);
      out.write(Hashes.sha256(encoded), 0, 32);
    }
    return new PeerId(out.toByteArray());
  }

  /** A peer id from its binary multihash form; only identity and SHA-256 multihashes are ids. */
  public static PeerId fromBytes(byte[] multihash) throws InvalidKeyException {
    ByteBuffer in = ByteBuffer.wrap(multihash);
    try {
      long code = Varint.read(in);
      long length = Varint.read(in);
      if (length < 0 || length != in.remaining()) {
        throw new InvalidKeyException("peer id multihash length does not match");
      }
      if (code == SHA2_256 && length == 32) {
        return new PeerId(multihash.clone());
      }
      if (code == IDENTITY && length <= MAX_INLINE_KEY_BYTES) {
        byte[] key = new byte[(int) length];
        in.get(key);
        PeerPublicKey.fromProtobuf(key);
        return new PeerId(multihash.clone());
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("invalid peer id multihash", e);
    }
    throw new InvalidKeyException("a peer id is an identity (<= 42 bytes) or SHA-256 multihash");
  }

  /** Parses the base58btc form or a CIDv1 ({@code b...} base32 or {@code z...} base58btc). */
  public static PeerId parse(String text) throws InvalidKeyException {
    if (text.isEmpty()) {
      throw new InvalidKeyException("empty peer id");
    }
    try {
      if (text.startsWith("Qm") || text.startsWith("1")) {
        return fromBytes(Base58.decode(text));
      }
      byte[] cid =
          switch (text.charAt(0)) {
            case 'b', 'B' -> Base32.decode(text.substring(1));
            case 'z' -> Base58.decode(text.substring(1));
            default -> throw new InvalidKeyException("unknown peer id text form: " + text);
          };
      ByteBuffer in = ByteBuffer.wrap(cid);
      if (Varint.read(in) != CID_V1 || Varint.read(in) != LIBP2P_KEY_CODEC) {
        throw new InvalidKeyException("not a CIDv1 with the libp2p-key codec: " + text);
      }
      byte[] multihash = new byte[in.remaining()];
      in.get(multihash);
      return fromBytes(multihash);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("invalid peer id text: " + text, e);
    }
  }

  /** The binary multihash. */
  public byte[] toBytes() {
    return multihash.clone();
  }

  /** The legacy base58btc text form, the one multiaddrs and js-libp2p print. */
  public String toBase58() {
    return Base58.encode(multihash);
  }

  /** The CIDv1 text form: multibase base32 of (version 1, libp2p-key, multihash). */
  public String toCid() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(CID_V1);
    out.write(LIBP2P_KEY_CODEC);
    out.write(multihash, 0, multihash.length);
    return "b" + Base32.encode(out.toByteArray());
  }

  /** The public key inlined in an identity-multihash id, if any. */
  public Optional<PeerPublicKey> embeddedPublicKey() {
    if (multihash[0] != IDENTITY) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(multihash);
    Varint.read(in);
    Varint.read(in);
    byte[] key = new byte[in.remaining()];
    in.get(key);
    try {
      return Optional.of(PeerPublicKey.fromProtobuf(key));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("peer id was validated at construction", e);
    }
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(multihash, o.multihash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(other.multihash, multihash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(multihash);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
