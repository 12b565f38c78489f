package org.callchain.net.pubsub;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A remote peer as the router sees it: the raw bytes of its libp2p peer id (a multihash). The
 * router never interprets them beyond comparing; the transport maps them to connections.
 *
 * <p>Pubsub messages carry the same bytes in their {@code from} field (pubsub spec "The Message"),
 * so a {@code PeerKey} is also the author of a message.
 */
public final class PeerKey implements Comparable<PeerKey> {
  private static final char[] BASE58 =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();

  private final byte[] peerId;
  private final int hash;

  private PeerKey(byte[] peerId) {
    this.peerId = peerId;
    this.hash = Arrays.hashCode(peerId);
  }

  /** Wraps a copy of the given peer-id bytes. */
  public static PeerKey of(byte[] peerId) {
    if (peerId == null || peerId.length == 0) {
      throw new IllegalArgumentException("a peer id has at least one byte");
    }
    return new PeerKey(peerId.clone());
  }

  /** A copy of the peer-id bytes. */
  public byte[] bytes() {
    return peerId.clone();
  }

  /**
   * The peer id in its usual text form, base58btc (libp2p peer-ids spec "String representation").
   */
  public String toBase58() {
    return base58(peerId);
  }

  /** Lower-case hex of the peer-id bytes. */
  public String toHex() {
    return HexFormat.of().formatHex(peerId);
  }

  static String base58(byte[] input) {
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    byte[] number = input.clone();
    char[] out = new char[input.length * 2];
    int outStart = out.length;
    int start = zeros;
    while (start < number.length) {
      int remainder = 0;
      for (int i = start; i < number.length; i++) {
        int digit = (remainder << 8) | (number[i] & 0xff);
        number[i] = (byte) (digit / 58);
        remainder = digit % 58;
      }
      out[--outStart] = BASE58[remainder];
      while (start < number.length && number[start] == 0) {
        start++;
      }
    }
    while (zeros-- > 0) {
      out[--outStart] = BASE58[0];
    }
    return new String(out, outStart, out.length - outStart);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerKey other && Arrays.equals(peerId, other.peerId);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(PeerKey o) {
    return Arrays.compareUnsigned(peerId, o.peerId);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
