package org.callchain.net;

/**
 * The application's say on who may connect. Consulted for both directions right after the Noise
 * handshake has authenticated the remote identity key and before the muxer is negotiated; a refused
 * connection is closed without any application stream ever being opened on it. Runs on the event
 * loop, so it must answer from memory (for example from a cached device registry).
 */
@FunctionalInterface
public interface ConnectionGater {
  /** Accepts every authenticated peer. */
  ConnectionGater ALLOW_ALL = (key, peer, direction) -> true;

  boolean allow(PeerPublicKey remoteKey, PeerId remotePeer, Direction direction);
}
