package org.callchain.net;

/**
 * The framing most libp2p protocols use on a stream: each message is preceded by its length as an
 * unsigned varint (identify, gossipsub RPCs, our request/response).
 */
public final class LengthPrefixed {
  private LengthPrefixed() {}

  /** The message with its varint length prefix. */
  public static byte[] frame(byte[] message) {
    byte[] prefix = Varint.encode(message.length);
    byte[] out = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(message, 0, out, prefix.length, message.length);
    return out;
  }
}
