package org.callchain.ledger.replication;

/** How a message reached this node. */
public enum Delivery {
  /** Pushed on the network's gossipsub topic. */
  GOSSIP,
  /** Pulled by this node with {@code /callchain/sync/1.0.0} (heads or a page of leaves). */
  SYNC
}
