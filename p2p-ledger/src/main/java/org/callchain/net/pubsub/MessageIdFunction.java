package org.callchain.net.pubsub;

/**
 * Derives a message's id, which the seen-cache, IHAVE and IWANT use. Every node of a network must
 * use the same function. The default is {@code from || seqno} (pubsub spec "Message
 * Identification").
 */
@FunctionalInterface
public interface MessageIdFunction {
  byte[] messageId(byte[] from, byte[] seqno, String topic, byte[] data);

  /** {@code from} bytes followed by {@code seqno} bytes, as go- and js-libp2p do. */
  static MessageIdFunction fromAndSeqno() {
    return (from, seqno, topic, data) -> {
      byte[] id = new byte[from.length + seqno.length];
      System.arraycopy(from, 0, id, 0, from.length);
      System.arraycopy(seqno, 0, id, from.length, seqno.length);
      return id;
    };
  }
}
