package org.callchain.net.pubsub;

/**
 * What a publish did: the new message's id and how many peers it was sent to directly (all topic
 * peers above the publish threshold with flood publishing, else mesh or fanout peers).
 */
public record PublishResult(byte[] messageId, int peersReached) {
  @Override
  public byte[] messageId() {
    return messageId.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishResult r
        && peersReached == r.peersReached
        && java.util.Arrays.equals(messageId, r.messageId);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(messageId) * 31 + peersReached;
  }

  @Override
  public String toString() {
    return "PublishResult[" + peersReached + " peers]";
  }
}
