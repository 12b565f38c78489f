package org.callchain.net.pubsub;

/**
 * An application's verdict on a received message before the router forwards it (gossipsub-v1.1.md
 * "Extended Validators").
 */
public enum ValidationResult {
  /** Deliver to local subscribers and forward to the mesh. */
  ACCEPT,
  /** Invalid: drop, never forward, and penalise the peer that sent it (score P4). */
  REJECT,
  /** Drop without forwarding and without a penalty (e.g. stale or not yet checkable). */
  IGNORE
}
