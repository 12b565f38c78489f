package org.callchain.net.pubsub.internal.memory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callchain.net.pubsub.EventLoop;
import org.callchain.net.pubsub.PeerConnection;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PubsubTransport;

/**
 * Pubsub transports that live in one process and pass RPC frames by reference, for simulations and
 * tests of many routers without sockets. Frames are delivered in order per direction after a fixed
 * latency on the network's {@link EventLoop}; connecting and disconnecting peers is explicit, which
 * makes churn scripts exact.
 */
public final class InMemoryPubsubNetwork {
  private final EventLoop loop;
  private final Duration latency;
  private final Map<PeerKey, Node> nodes = new HashMap<>();
  private long framesDelivered;
  private long bytesDelivered;

  public InMemoryPubsubNetwork(EventLoop loop, Duration latency) {
    this.loop = loop;
    this.latency = latency;
  }

  /** A transport for the peer; it joins the network when its router starts it. */
  public synchronized PubsubTransport transportFor(PeerKey peer) {
    if (nodes.containsKey(peer) && nodes.get(peer).listener != null) {
      throw new IllegalStateException(peer + " is already on the network");
    }
    Node node = new Node(peer);
    nodes.put(peer, node);
    return node;
  }

  /** Connects two started peers; {@code dialer} sees the connection as outbound. */
  public synchronized void connect(PeerKey dialer, PeerKey listener) {
    Node a = nodes.get(dialer);
    Node b = nodes.get(listener);
    if (a == null || b == null || a.listener == null || b.listener == null) {
      throw new IllegalStateException("both peers must be started before connecting");
    }
    if (dialer.equals(listener) || !a.links.add(listener)) {
      return;
    }
    b.links.add(dialer);
    PubsubTransport.Listener al = a.listener;
    PubsubTransport.Listener bl = b.listener;
    al.peerConnected(listener, new PeerConnection(true, Optional.empty()));
    bl.peerConnected(dialer, new PeerConnection(false, Optional.empty()));
  }

  public synchronized void disconnect(PeerKey x, PeerKey y) {
    Node a = nodes.get(x);
    Node b = nodes.get(y);
    if (a == null || b == null || !a.links.remove(y)) {
      return;
    }
    b.links.remove(x);
    a.listener.peerDisconnected(y);
    b.listener.peerDisconnected(x);
  }

  /** Takes a peer off the network, as if its process died: every link drops. */
  public synchronized void remove(PeerKey peer) {
    Node node = nodes.get(peer);
    if (node == null) {
      return;
    }
    for (PeerKey other : Set.copyOf(node.links)) {
      disconnect(peer, other);
    }
    nodes.remove(peer);
  }

  public synchronized boolean connected(PeerKey x, PeerKey y) {
    Node a = nodes.get(x);
    return a != null && a.links.contains(y);
  }

  public synchronized long framesDelivered() {
    return framesDelivered;
  }

  public synchronized long bytesDelivered() {
    return bytesDelivered;
  }

  private synchronized void deliver(PeerKey from, PeerKey to, byte[] rpc) {
    Node a = nodes.get(from);
    Node b = nodes.get(to);
    if (a == null || b == null || !a.links.contains(to) || b.listener == null) {
      return;
    }
    framesDelivered++;
    bytesDelivered += rpc.length;
    b.listener.rpcReceived(from, rpc);
  }

  private final class Node implements PubsubTransport {
    final PeerKey self;
    final Set<PeerKey> links = new HashSet<>();
    volatile Listener listener;

    Node(PeerKey self) {
      this.self = self;
    }

    @Override
    public void start(Listener listener) {
      synchronized (InMemoryPubsubNetwork.this) {
        this.listener = listener;
      }
    }

    @Override
    public void send(PeerKey peer, byte[] rpc) {
      if (latency.isZero()) {
        loop.execute(() -> deliver(self, peer, rpc));
      } else {
        loop.schedule(latency, () -> deliver(self, peer, rpc));
      }
    }
  }
}
