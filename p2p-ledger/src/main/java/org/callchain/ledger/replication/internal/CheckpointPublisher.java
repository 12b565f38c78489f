package org.callchain.ledger.replication.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.callchain.chain.AnchorStatement;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.WitnessSignature;
import org.callchain.net.pubsub.internal.libp2p.Libp2pGossipsub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node publishes on the replication topic: commit messages for its own checkpoints
 * (optionally carrying their anchor statement) and its co-signatures of checkpoints it verified.
 * Runs on the replication thread, which owns {@link #lastAnnounced}.
 */
final class CheckpointPublisher {
  // The network's log category, so operators' logger configuration still applies.
  private static final Logger LOG = LoggerFactory.getLogger(Libp2pLedgerNetwork.class);

  private final String topic;
  private final DeviceKey key;
  private final Ledger ledger;
  private final DeviceAddress own;
  private final Clock clock = Clock.systemUTC();
  private Libp2pGossipsub gossip;
  private long lastAnnounced = -1;

  CheckpointPublisher(String topic, DeviceKey key, Ledger ledger) {
    this.topic = topic;
    this.key = key;
    this.ledger = ledger;
    this.own = key.address();
  }

  /** Publishes through {@code router} from now on; set once, when the router has started. */
  void attach(Libp2pGossipsub router) {
    this.gossip = router;
  }

  /**
   * See {@link org.callchain.ledger.replication.LedgerNetwork#announce(Checkpoint, Optional)}; the
   * message is built on {@code worker}, the replication thread.
   */
  CompletableFuture<Integer> announce(
      Checkpoint ownCheckpoint, Optional<AnchorStatement> statement, Executor worker) {
    if (!ownCheckpoint.device().equals(own)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("announce takes this node's own checkpoints only"));
    }
    if (statement.isPresent() && !AnchorStatements.covers(statement.get(), ownCheckpoint)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("the anchor statement is not for this checkpoint"));
    }
    return CompletableFuture.supplyAsync(() -> commitMessage(ownCheckpoint, statement), worker)
        .thenCompose(bytes -> gossip.publish(topic, bytes))
        .thenApply(r -> r.peersReached());
  }

  private byte[] commitMessage(Checkpoint cp, Optional<AnchorStatement> statement) {
    var log =
        ledger
            .log(own)
            .orElseThrow(() -> new IllegalStateException("the own log has no commits yet"));
    long size = cp.treeSize();
    if (log.size() < size || !log.root(size).equals(cp.rootHash())) {
      throw new IllegalArgumentException("checkpoint " + size + " is not one of the own log's");
    }
    long from = lastAnnounced;
    if (from < 0 || from > size) {
      List<Checkpoint> earlier = log.checkpoints(0, size);
      from = earlier.isEmpty() ? 0 : earlier.get(earlier.size() - 1).treeSize();
    }
    lastAnnounced = size;
    byte[] full =
        ReplicationCodec.encodeCommit(
            new CommitMessage(
                cp,
                from,
                log.leaves(from, size),
                from == 0 || from == size ? null : log.consistencyProof(from, size),
                statement));
    if (full.length <= ReplicationCodec.MAX_GOSSIP_BYTES
        && size - from <= ReplicationCodec.MAX_LEAVES) {
      return full;
    }
    // Too large for one gossip message: the checkpoint alone; peers fetch the leaves by sync.
    return ReplicationCodec.encodeCommit(new CommitMessage(cp, size, List.of(), null, statement));
  }

  /** Co-signs a checkpoint just verified, keeps the co-signature and publishes it. */
  void coSign(Checkpoint cp) {
    WitnessSignature w = WitnessSignature.sign(key, cp, clock.millis());
    try {
      ledger.addWitnessSignature(cp, w);
    } catch (LedgerException e) {
      LOG.warn(
          "cannot store our co-signature of {} at {}: {}",
          cp.device(),
          cp.treeSize(),
          e.getMessage());
      return;
    }
    gossip
        .publish(topic, ReplicationCodec.encodeWitness(new WitnessMessage(cp, w)))
        .exceptionally(
            e -> {
              LOG.debug(
                  "co-signature of {} at {} not published: {}",
                  cp.device(),
                  cp.treeSize(),
                  e.toString());
              return null;
            });
  }
}
