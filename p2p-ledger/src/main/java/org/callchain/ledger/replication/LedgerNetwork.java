package org.callchain.ledger.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.replication.internal.Libp2pLedgerNetwork;
import org.callchain.net.Multiaddr;
import org.callchain.net.PeerId;

/**
 * A node's place in its company's ledger network (docs/replication.md). It listens and dials over
 * libp2p with the device's own key as identity; accepts connections only from active registered
 * devices and configured auditors (and drops a peer once the registry revokes it); publishes the
 * node's commits on the network's gossipsub topic; verifies every other device's commit before
 * forwarding it and stores it as a replica in {@code ledger}; co-signs what it verified (witness
 * signatures); and, on every connection and periodically, exchanges heads with peers and fetches
 * what it lacks, so a node that was offline or partitioned catches up from anyone.
 *
 * <p>Typical use by the node:
 *
 * <pre>{@code
 * LedgerNetwork net = LedgerNetwork.start(
 *     LedgerNetworkConfig.builder("acme").listen("0.0.0.0", 4001)
 *         .bootstrapPeerAddresses(List.of("/ip4/10.0.0.2/tcp/4001/p2p/16Uiu2HA…")).build(),
 *     deviceKey, ledger, registry);
 * Checkpoint cp = ledger.ownLog(deviceKey).commit();
 * net.announce(cp);                        // after every commit
 * NetworkStatus s = net.status();          // for `callchain status`
 * net.close();                             // before closing the ledger
 * }</pre>
 *
 * <p>Methods may be called from any thread; the network does its ledger work on one thread of its
 * own. The ledger must stay open until {@link #close()} returns.
 */
public interface LedgerNetwork extends AutoCloseable {

  /**
   * Starts listening, dials the bootstrap peers and joins the topic.
   *
   * @param key the device key: the libp2p identity and the witness signing key
   * @param ledger the node's ledger; its own log must belong to {@code key}'s device
   * @param registry the device registry (its cached view decides who may connect and publish)
   * @throws LedgerNetworkException if the host cannot listen
   */
  static LedgerNetwork start(
      LedgerNetworkConfig config, DeviceKey key, Ledger ledger, DeviceRegistryClient registry)
      throws LedgerNetworkException {
    return Libp2pLedgerNetwork.start(config, key, ledger, registry);
  }

  /**
   * Publishes the node's commit: {@code ownCheckpoint} (from {@code DeviceLog.commit()}) and the
   * own log's leaves since the last announcement (or since the previous checkpoint after a
   * restart). A commit too large for one gossip message is announced as its checkpoint alone, and
   * peers fetch the leaves by sync. Completes with the number of peers it was sent to (0 when none
   * is connected: they catch up by sync).
   */
  CompletableFuture<Integer> announce(Checkpoint ownCheckpoint);

  /**
   * {@link #announce(Checkpoint)} with the device's anchor statement for {@code ownCheckpoint} (ADR
   * 0093), so that whichever node aggregates anchors can put it in a batch. Peers that check
   * statements reject the commit if the statement is not the device's for their anchor contract.
   */
  CompletableFuture<Integer> announce(
      Checkpoint ownCheckpoint, java.util.Optional<AnchorStatement> statement);

  PeerId peerId();

  /** The bound listen addresses with {@code /p2p/<peer-id>}, ready to give to other nodes. */
  List<Multiaddr> listenAddresses();

  /** The registered devices connected now (auditors left out), without their scores. */
  java.util.Set<org.callchain.identity.DeviceAddress> connectedDevices();

  /** A snapshot of peers, logs held and their state. */
  NetworkStatus status();

  void addListener(ReplicationListener listener);

  /** Leaves the network; the ledger stays open. Idempotent. */
  @Override
  void close();
}
