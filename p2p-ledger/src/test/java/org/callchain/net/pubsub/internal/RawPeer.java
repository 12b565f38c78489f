package org.callchain.net.pubsub.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callchain.net.pubsub.PeerConnection;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PubsubTransport;
import org.callchain.net.pubsub.internal.memory.InMemoryPubsubNetwork;
import org.callchain.net.pubsub.internal.proto.RpcProto;

/**
 * A scripted peer for router tests: it speaks raw RPCs on the in-memory network, records every RPC
 * the router sends it, and can author correctly signed messages (or malformed ones).
 */
final class RawPeer {
  final Ed25519TestIdentity identity = new Ed25519TestIdentity();
  final List<RpcProto.RPC> received = new CopyOnWriteArrayList<>();
  private final PubsubTransport transport;
  private long seqno = 1;

  RawPeer(InMemoryPubsubNetwork network) {
    transport = network.transportFor(identity.key());
    transport.start(
        new PubsubTransport.Listener() {
          @Override
          public void peerConnected(PeerKey peer, PeerConnection connection) {}

          @Override
          public void peerDisconnected(PeerKey peer) {}

          @Override
          public void rpcReceived(PeerKey peer, byte[] rpc) {
            try {
              received.add(RpcProto.RPC.parseFrom(rpc));
            } catch (InvalidProtocolBufferException e) {
              throw new AssertionError("router sent an unparsable RPC", e);
            }
          }
        });
  }

  PeerKey key() {
    return identity.key();
  }

  void send(PeerKey to, RpcProto.RPC rpc) {
    transport.send(to, rpc.toByteArray());
  }

  /** Sends bytes that need not be an RPC at all. */
  void sendRaw(PeerKey to, byte[] frame) {
    transport.send(to, frame);
  }

  void subscribe(PeerKey to, String topic) {
    send(
        to,
        RpcProto.RPC
            .newBuilder()
            .addSubscriptions(
                RpcProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(topic))
            .build());
  }

  RpcProto.Message signedMessage(String topic, String data) {
    RpcProto.Message unsigned =
        RpcProto.Message.newBuilder()
            .setFrom(ByteString.copyFrom(identity.peerId()))
            .setData(ByteString.copyFromUtf8(data))
            .setSeqno(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(seqno++).array()))
            .setTopic(topic)
            .build();
    return StrictSign.sign(unsigned, identity);
  }

  void publish(PeerKey to, RpcProto.Message m) {
    send(to, RpcProto.RPC.newBuilder().addPublish(m).build());
  }

  void control(PeerKey to, RpcProto.ControlMessage control) {
    send(to, RpcProto.RPC.newBuilder().setControl(control).build());
  }

  long graftsReceived(String topic) {
    return received.stream()
        .flatMap(r -> r.getControl().getGraftList().stream())
        .filter(g -> g.getTopicID().equals(topic))
        .count();
  }

  List<RpcProto.ControlPrune> prunesReceived() {
    return received.stream().flatMap(r -> r.getControl().getPruneList().stream()).toList();
  }

  List<RpcProto.Message> messagesReceived() {
    return received.stream().flatMap(r -> r.getPublishList().stream()).toList();
  }
}
