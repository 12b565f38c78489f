package org.callchain.net.internal.libp2p;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.callchain.net.IdentifyInfo;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.InvalidMultiaddrException;
import org.callchain.net.LengthPrefixed;
import org.callchain.net.LengthPrefixedReader;
import org.callchain.net.Multiaddr;
import org.callchain.net.NetworkException;
import org.callchain.net.PeerId;
import org.callchain.net.PeerPublicKey;
import org.callchain.net.Stream;
import org.callchain.net.StreamHandler;
import org.callchain.net.internal.libp2p.pb.IdentifyProtos.Identify;

/**
 * {@code /ipfs/id/1.0.0} (identify spec): the listener writes one varint-length-prefixed {@code
 * Identify} message and closes the stream. We answer with our protocols, listen addresses, the
 * address we see the peer at, our public key and agent; we accept a peer's answer only if its
 * public key matches the connection's authenticated peer id. Unparseable listen addresses are
 * skipped rather than failing the whole record, since peers advertise transports we do not know.
 */
final class IdentifyProtocol {
  static final String ID = "/ipfs/id/1.0.0";
  static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  private static final int MAX_MESSAGE = 8 * 1024;

  private IdentifyProtocol() {}

  static StreamHandler handler(Libp2pHost host) {
    return stream -> {
      Identify.Builder message =
          Identify.newBuilder()
              .setProtocolVersion(PROTOCOL_VERSION)
              .setAgentVersion(host.config().agentVersion())
              .setPublicKey(ByteString.copyFrom(host.config().key().publicKey().toProtobuf()))
              .setObservedAddr(ByteString.copyFrom(stream.connection().remoteAddress().toBytes()))
              .addAllProtocols(host.protocols());
      for (Multiaddr address : host.listenAddresses()) {
        message.addListenAddrs(ByteString.copyFrom(address.toBytes()));
      }
      stream.write(LengthPrefixed.frame(message.build().toByteArray()));
      stream.closeWrite();
      stream.setReader((s, data) -> {});
    };
  }

  /** Reads the peer's identify record from a freshly negotiated stream. */
  static CompletableFuture<IdentifyInfo> request(Stream stream) {
    CompletableFuture<IdentifyInfo> result = new CompletableFuture<>();
    stream.setReader(
        new LengthPrefixedReader(
            MAX_MESSAGE,
            new LengthPrefixedReader.MessageHandler() {
              @Override
              public void onMessage(Stream s, byte[] message) {
                try {
                  result.complete(parse(s.remotePeer(), message));
                  s.closeWrite();
                } catch (NetworkException e) {
                  result.completeExceptionally(e);
                  s.reset();
                }
              }

              @Override
              public void onEnd(Stream s, NetworkException cause) {
                result.completeExceptionally(
                    cause != null ? cause : new NetworkException("identify stream ended empty"));
              }
            }));
    return result;
  }

  static IdentifyInfo parse(PeerId peer, byte[] bytes) throws NetworkException {
    Identify message;
    try {
      message = Identify.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new NetworkException("malformed identify message", e);
    }
    PeerPublicKey key;
    try {
      key = PeerPublicKey.fromProtobuf(message.getPublicKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new NetworkException("identify carries an invalid public key", e);
    }
    if (!key.toPeerId().equals(peer)) {
      throw new NetworkException("identify public key does not belong to " + peer);
    }
    List<Multiaddr> listen = new ArrayList<>();
    for (ByteString address : message.getListenAddrsList()) {
      decode(address).ifPresent(listen::add);
    }
    return new IdentifyInfo(
        peer,
        key,
        message.getProtocolVersion(),
        message.getAgentVersion(),
        message.getProtocolsList(),
        listen,
        message.hasObservedAddr() ? decode(message.getObservedAddr()) : Optional.empty());
  }

  private static Optional<Multiaddr> decode(ByteString bytes) {
    try {
      return Optional.of(Multiaddr.fromBytes(bytes.toByteArray()));
    } catch (InvalidMultiaddrException e) {
      return Optional.empty();
    }
  }
}
