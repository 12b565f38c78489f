package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/** Invariants of the message cache (gossipsub-v1.0.md "Message Cache") and the seen-cache. */
class CacheProperties {

  @Property
  void messagesAreGossipedForMcacheGossipHeartbeatsAndKeptForMcacheLen(
      @ForAll @IntRange(min = 1, max = 8) int length,
      @ForAll @IntRange(min = 1, max = 8) int gossip,
      @ForAll @IntRange(min = 0, max = 10) int shifts) {
    if (gossip > length) {
      return;
    }
    MessageCache cache = new MessageCache(length, gossip);
    MessageId id = MessageId.of(new byte[] {7});
    cache.put(id, RpcProto.Message.newBuilder().setTopic("t").build());
    for (int i = 0; i < shifts; i++) {
      cache.shift();
    }
    assertThat(cache.gossipIds("t").contains(id)).isEqualTo(shifts < gossip);
    assertThat(cache.get(id) != null).isEqualTo(shifts < length);
    assertThat(cache.gossipIds("other")).isEmpty();
  }

  @Property
  void iwantRetransmissionsPerPeerAreBounded(
      @ForAll @IntRange(min = 0, max = 5) int limit,
      @ForAll @IntRange(min = 0, max = 12) int requests) {
    MessageCache cache = new MessageCache(5, 3);
    MessageId id = MessageId.of(new byte[] {1});
    cache.put(id, RpcProto.Message.newBuilder().setTopic("t").build());
    PeerKey peer = PeerKey.of(new byte[] {9});
    int served = 0;
    for (int i = 0; i < requests; i++) {
      if (cache.getForPeer(id, peer, limit) != null) {
        served++;
      }
    }
    assertThat(served).isEqualTo(Math.min(limit, requests));
    assertThat(cache.getForPeer(id, PeerKey.of(new byte[] {8}), limit) != null)
        .isEqualTo(limit > 0);
  }

  @Property
  void seenCacheRemembersExactlyForItsTtl(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 5000) Integer> gaps) {
    long ttl = 2_000;
    SeenCache seen = new SeenCache(ttl);
    long now = 0;
    java.util.Map<MessageId, Long> added = new java.util.HashMap<>();
    int n = 0;
    for (int gap : gaps) {
      now += gap;
      seen.sweep(now);
      MessageId id = new MessageId(ByteString.copyFromUtf8("m" + n++));
      assertThat(seen.add(id, now)).isTrue();
      assertThat(seen.add(id, now)).isFalse();
      added.put(id, now);
      for (var e : added.entrySet()) {
        if (now - e.getValue() < ttl) {
          assertThat(seen.contains(e.getKey())).isTrue();
        }
      }
    }
  }
}
