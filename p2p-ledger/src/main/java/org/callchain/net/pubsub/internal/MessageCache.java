package org.callchain.net.pubsub.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * The gossipsub message cache (gossipsub-v1.0.md "Message Cache"): recent messages in {@code
 * mcache_len} history windows, the newest {@code mcache_gossip} of which are advertised in IHAVE.
 * The heartbeat shifts the windows; messages in the oldest window are forgotten. It also counts how
 * often each peer fetched a message by IWANT, to bound retransmissions (gossipsub-v1.1.md "Spam
 * Protection Measures").
 */
final class MessageCache {
  private final int gossipWindows;
  private final ArrayDeque<List<Entry>> windows = new ArrayDeque<>();
  private final Map<MessageId, Entry> byId = new HashMap<>();

  private static final class Entry {
    final MessageId id;
    final RpcProto.Message message;
    final Map<PeerKey, Integer> transmissions = new HashMap<>();

    Entry(MessageId id, RpcProto.Message message) {
      this.id = id;
      this.message = message;
    }
  }

  MessageCache(int historyLength, int gossipWindows) {
    this.gossipWindows = gossipWindows;
    for (int i = 0; i < historyLength; i++) {
      windows.addLast(new ArrayList<>());
    }
  }

  void put(MessageId id, RpcProto.Message message) {
    if (byId.containsKey(id)) {
      return;
    }
    Entry e = new Entry(id, message);
    byId.put(id, e);
    windows.peekFirst().add(e);
  }

  RpcProto.Message get(MessageId id) {
    Entry e = byId.get(id);
    return e == null ? null : e.message;
  }

  /**
   * The message for an IWANT from the peer, or null when it is gone or the peer already fetched it
   * {@code limit} times.
   */
  RpcProto.Message getForPeer(MessageId id, PeerKey peer, int limit) {
    Entry e = byId.get(id);
    if (e == null) {
      return null;
    }
    int count = e.transmissions.merge(peer, 1, Integer::sum);
    return count > limit ? null : e.message;
  }

  /** Ids of the topic's messages in the gossip windows, newest first. */
  List<MessageId> gossipIds(String topic) {
    List<MessageId> ids = new ArrayList<>();
    Iterator<List<Entry>> it = windows.iterator();
    for (int i = 0; i < gossipWindows && it.hasNext(); i++) {
      for (Entry e : it.next()) {
        if (e.message.getTopic().equals(topic)) {
          ids.add(e.id);
        }
      }
    }
    return ids;
  }

  /** Opens a new window and forgets the oldest one. */
  void shift() {
    for (Entry e : windows.removeLast()) {
      byId.remove(e.id);
    }
    windows.addFirst(new ArrayList<>());
  }

  int size() {
    return byId.size();
  }
}
