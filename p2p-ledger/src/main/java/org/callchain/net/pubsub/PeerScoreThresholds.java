package org.callchain.net.pubsub;

/**
 * Score thresholds (gossipsub-v1.1.md "Score Thresholds").
 *
 * @param gossipThreshold below it no gossip (IHAVE/IWANT) is emitted to or accepted from a peer
 * @param publishThreshold below it our own messages are not flood-published to a peer
 * @param graylistThreshold below it every RPC from a peer is ignored
 * @param acceptPxThreshold peer exchange in a PRUNE is only followed from peers at or above it
 * @param opportunisticGraftThreshold when the median mesh score falls below it, better peers are
 *     grafted opportunistically
 */
public record PeerScoreThresholds(
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  public PeerScoreThresholds {
    if (!(gossipThreshold <= 0)) {
      throw new IllegalArgumentException("gossip threshold must be <= 0");
    }
    if (!(publishThreshold <= gossipThreshold)) {
      throw new IllegalArgumentException("publish threshold must be <= gossip threshold");
    }
    if (!(graylistThreshold < publishThreshold)) {
      throw new IllegalArgumentException("graylist threshold must be < publish threshold");
    }
    if (!(acceptPxThreshold >= 0) || !(opportunisticGraftThreshold >= 0)) {
      throw new IllegalArgumentException(
          "accept-PX and opportunistic-graft thresholds must be >= 0");
    }
  }

  public static PeerScoreThresholds defaults() {
    return new PeerScoreThresholds(-10, -50, -80, 10, 3);
  }
}
