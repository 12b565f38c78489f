package org.callchain.net.pubsub;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A pubsub message as an application sees it: its topic, payload, author and id, and the peer it
 * arrived from ({@code receivedFrom} equals {@code from} for our own messages).
 */
public record PubsubMessage(
    String topic, byte[] data, PeerKey from, byte[] seqno, byte[] messageId, PeerKey receivedFrom) {

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public byte[] seqno() {
    return seqno.clone();
  }

  @Override
  public byte[] messageId() {
    return messageId.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PubsubMessage m
        && topic.equals(m.topic)
        && Arrays.equals(messageId, m.messageId)
        && Arrays.equals(data, m.data)
        && from.equals(m.from)
        && receivedFrom.equals(m.receivedFrom);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(messageId);
  }

  @Override
  public String toString() {
    return "PubsubMessage[topic="
        + topic
        + ", from="
        + from
        + ", id="
        + HexFormat.of().formatHex(messageId)
        + ", "
        + data.length
        + " bytes]";
  }
}
