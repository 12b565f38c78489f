package org.callchain.ledger.replication.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.RejectedMessage;
import org.callchain.net.PeerId;
import org.callchain.net.pubsub.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the {@link Verdict} for each message delivered by gossip or sync: reports what it stored
 * to the listeners, fetches a gap it revealed, co-signs a checkpoint it appended and releases the
 * messages that waited for it, and counts and logs a refusal. Runs on the replication thread, which
 * owns {@link #lastUpdated()}.
 */
final class DeliveryVerdicts {
  // The category docs/replication.md names for the rejection line operators grep for.
  private static final Logger LOG = LoggerFactory.getLogger(Libp2pLedgerNetwork.class);

  private final GossipValidation validation;
  private final LedgerSync sync;
  private final CheckpointPublisher publisher;
  private final ReplicationEvents events;
  private final Clock clock = Clock.systemUTC();
  private final Map<DeviceAddress, Long> lastUpdated = new HashMap<>();
  private final AtomicLong rejected = new AtomicLong();

  DeliveryVerdicts(
      GossipValidation validation,
      LedgerSync sync,
      CheckpointPublisher publisher,
      ReplicationEvents events) {
    this.validation = validation;
    this.sync = sync;
    this.publisher = publisher;
    this.events = events;
  }

  /** Acts on {@code v} for a message from {@code from}; co-signs what it appends if asked. */
  void handle(Verdict v, PeerId from, Delivery via, boolean coSign) {
    if (v.result() == ValidationResult.REJECT) {
      rejected(v, from, via);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} message from {}: {}", v.result(), via, from, v.reason());
    }
    v.evidence().ifPresent(e -> events.emit(l -> l.equivocationDetected(e)));
    v.witnessStored()
        .ifPresent(w -> events.emit(l -> l.witnessAdded(w.checkpoint(), w.signature())));
    v.gap().ifPresent(gap -> sync.fetch(from, gap));
    if (v.appended().isPresent()) {
      Checkpoint cp = v.appended().get().checkpoint();
      long fromSize = v.appended().get().fromSize();
      lastUpdated.put(cp.device(), clock.millis());
      events.emit(l -> l.replicaUpdated(cp.device(), cp, fromSize, via));
      if (coSign) {
        publisher.coSign(cp);
      }
      for (Verdict released : validation.releasePending(cp.device())) {
        handle(released, from, via, false);
      }
    }
  }

  /**
   * Counts, logs and reports a refused message. For gossip, gossipsub charges P4 to {@code from}
   * (gossipsub-v1.1.md "Extended Validators"); the log line names the sender's device so an
   * operator can tell a forger from a peer that relays a stale registry view.
   */
  private void rejected(Verdict v, PeerId from, Delivery via) {
    rejected.incrementAndGet();
    Verdict.Refusal refusal =
        v.refusal()
            .orElseThrow(() -> new IllegalStateException("a REJECT verdict without its refusal"));
    RejectedMessage message =
        new RejectedMessage(from, via, refusal.reason(), refusal.claimedDevice(), v.reason());
    LOG.info(
        "rejected {} message from peer {} (device {}): reason {}, claimed device {}: {}",
        via.name().toLowerCase(Locale.ROOT),
        from,
        from.embeddedPublicKey().flatMap(DeviceIds::addressOf).map(Object::toString).orElse("none"),
        refusal.reason().label(),
        refusal.claimedDevice().map(Object::toString).orElse("none"),
        v.reason());
    events.emit(l -> l.messageRejected(message));
  }

  /** Messages refused so far, by gossip and sync together. */
  long rejectedCount() {
    return rejected.get();
  }

  /** When each device's replica last grew, in epoch milliseconds; replication thread only. */
  Map<DeviceAddress, Long> lastUpdated() {
    return lastUpdated;
  }
}
