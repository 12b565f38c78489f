package org.callchain.net.pubsub.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PubsubTransport;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * Collects what one event makes the router say to each peer, and sends it as one RPC per peer when
 * the event is done ("piggybacking" control on messages, gossipsub-v1.0.md "Control Messages"). An
 * RPC that would exceed the frame limit is split: control first, then messages in as few RPCs as
 * fit.
 */
final class RpcOutbox {
  private final PubsubTransport transport;
  private final int maxRpcSize;
  private final Map<PeerKey, RpcProto.RPC.Builder> pending = new LinkedHashMap<>();

  RpcOutbox(PubsubTransport transport, int maxRpcSize) {
    this.transport = transport;
    this.maxRpcSize = maxRpcSize;
  }

  private RpcProto.RPC.Builder rpc(PeerKey peer) {
    return pending.computeIfAbsent(peer, p -> RpcProto.RPC.newBuilder());
  }

  void subscription(PeerKey peer, String topic, boolean subscribe) {
    rpc(peer)
        .addSubscriptions(
            RpcProto.RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic));
  }

  void message(PeerKey peer, RpcProto.Message message) {
    rpc(peer).addPublish(message);
  }

  void graft(PeerKey peer, String topic) {
    rpc(peer).getControlBuilder().addGraft(RpcProto.ControlGraft.newBuilder().setTopicID(topic));
  }

  void prune(PeerKey peer, String topic, long backoffSeconds, List<PeerKey> exchange) {
    RpcProto.ControlPrune.Builder prune =
        RpcProto.ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoffSeconds);
    for (PeerKey p : exchange) {
      prune.addPeers(
          RpcProto.PeerInfo.newBuilder()
              .setPeerID(com.google.protobuf.ByteString.copyFrom(p.bytes())));
    }
    rpc(peer).getControlBuilder().addPrune(prune);
  }

  void ihave(PeerKey peer, String topic, List<MessageId> ids) {
    RpcProto.ControlIHave.Builder ihave = RpcProto.ControlIHave.newBuilder().setTopicID(topic);
    ids.forEach(id -> ihave.addMessageIDs(id.bytes()));
    rpc(peer).getControlBuilder().addIhave(ihave);
  }

  void iwant(PeerKey peer, List<MessageId> ids) {
    RpcProto.ControlIWant.Builder iwant = RpcProto.ControlIWant.newBuilder();
    ids.forEach(id -> iwant.addMessageIDs(id.bytes()));
    rpc(peer).getControlBuilder().addIwant(iwant);
  }

  /** Drops what was queued for a peer that has gone. */
  void forget(PeerKey peer) {
    pending.remove(peer);
  }

  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<PeerKey, RpcProto.RPC.Builder> batch = new LinkedHashMap<>(pending);
    pending.clear();
    batch.forEach(this::send);
  }

  private void send(PeerKey peer, RpcProto.RPC.Builder rpc) {
    RpcProto.RPC whole = rpc.build();
    if (whole.getSerializedSize() <= maxRpcSize) {
      transport.send(peer, whole.toByteArray());
      return;
    }
    RpcProto.RPC head = whole.toBuilder().clearPublish().build();
    if (head.getSerializedSize() > 0) {
      transport.send(peer, head.toByteArray());
    }
    RpcProto.RPC.Builder chunk = RpcProto.RPC.newBuilder();
    int size = 0;
    for (RpcProto.Message m : whole.getPublishList()) {
      int entry = m.getSerializedSize() + 6;
      if (size > 0 && size + entry > maxRpcSize) {
        transport.send(peer, chunk.build().toByteArray());
        chunk = RpcProto.RPC.newBuilder();
        size = 0;
      }
      chunk.addPublish(m);
      size += entry;
    }
    if (size > 0) {
      transport.send(peer, chunk.build().toByteArray());
    }
  }
}
