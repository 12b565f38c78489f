package org.callchain.net.pubsub;

/**
 * The router's view of the network: peers that speak a pubsub protocol come and go, and whole RPC
 * frames travel to and from them. Framing (varint length prefix), protocol negotiation ({@code
 * /meshsub/1.1.0}, {@code /meshsub/1.0.0}) and stream handling belong to the transport.
 *
 * <p>Callbacks may arrive on any thread; the router hands them to its own event loop.
 */
public interface PubsubTransport {

  /** Starts delivering events to the listener. Called once by the router. */
  void start(Listener listener);

  /**
   * Queues one encoded RPC for the peer. Delivery is best effort: a send to a peer that has gone
   * away is dropped (gossip recovers lost messages through IHAVE/IWANT).
   */
  void send(PeerKey peer, byte[] rpc);

  /** Events from the network, one listener per router. */
  interface Listener {
    /** A peer with a pubsub stream is now reachable. */
    void peerConnected(PeerKey peer, PeerConnection connection);

    /** The peer's last pubsub stream has closed. */
    void peerDisconnected(PeerKey peer);

    /** One RPC frame arrived from the peer. */
    void rpcReceived(PeerKey peer, byte[] rpc);
  }
}
