package org.callchain.ledger.replication.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callchain.identity.DeviceAddress;
import org.callchain.ledger.replication.PeerStatus;
import org.callchain.net.Connection;
import org.callchain.net.Host;
import org.callchain.net.InvalidKeyException;
import org.callchain.net.PeerId;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PubsubStats;
import org.callchain.net.pubsub.internal.libp2p.Libp2pGossipsub;

/**
 * Who the connected peers are: the device or auditor behind each connection, its gossipsub score,
 * and the application-specific score the router asks for. Until the router is attached, scores and
 * graylist counts read as 0.
 */
final class PeerStatuses {
  private final Host host;
  private final Membership members;
  private final Map<PeerKey, Optional<DeviceAddress>> peerDevices = new ConcurrentHashMap<>();
  private Libp2pGossipsub gossip;

  PeerStatuses(Host host, Membership members) {
    this.host = host;
    this.members = members;
  }

  /** Reads scores from {@code router} from now on; set once, when the router has started. */
  void attach(Libp2pGossipsub router) {
    this.gossip = router;
  }

  /**
   * Gossipsub P5 (gossipsub-v1.1.md "The Score Function"): +1 for a peer whose key is an active
   * registered device, 0 otherwise (auditors, revoked devices). Called on the router's thread.
   */
  double applicationScore(PeerKey peer) {
    Optional<DeviceAddress> device =
        peerDevices.computeIfAbsent(
            peer,
            p -> {
              try {
                return PeerId.fromBytes(p.bytes())
                    .embeddedPublicKey()
                    .flatMap(DeviceIds::addressOf);
              } catch (InvalidKeyException e) {
                return Optional.empty();
              }
            });
    return device.filter(members::isActiveDevice).isPresent() ? 1 : 0;
  }

  /** The registered devices among the connected peers (auditors excluded). */
  Set<DeviceAddress> connectedDevices() {
    Set<DeviceAddress> out = new TreeSet<>();
    for (Connection c : host.connections()) {
      of(c).filter(p -> p.role() == PeerStatus.Role.DEVICE).ifPresent(p -> out.add(p.device()));
    }
    return Set.copyOf(out);
  }

  /** The peer's status without its score. */
  Optional<PeerStatus> of(Connection c) {
    return of(c, false);
  }

  /** The peer's status; its gossipsub score only when asked (it waits for the router). */
  Optional<PeerStatus> of(Connection c, boolean withScore) {
    return DeviceIds.addressOf(c.remotePublicKey())
        .map(
            d ->
                new PeerStatus(
                    c.remotePeer(),
                    d,
                    members.isAuditor(d) && !members.isActiveDevice(d)
                        ? PeerStatus.Role.AUDITOR
                        : PeerStatus.Role.DEVICE,
                    c.remoteAddress(),
                    withScore ? score(c.remotePeer()) : 0));
  }

  /** RPCs the router dropped because their sender was graylisted. */
  long graylistedRpcs() {
    if (gossip == null) {
      return 0;
    }
    return fromRouter(gossip.stats()).map(PubsubStats::rpcsDroppedFromGraylisted).orElse(0L);
  }

  private double score(PeerId peer) {
    if (gossip == null) {
      return 0;
    }
    return fromRouter(gossip.score(PeerKey.of(peer.toBytes()))).orElse(0.0);
  }

  /** The router's answer, or none if it fails or takes over 2 s (status reads must not hang). */
  private static <T> Optional<T> fromRouter(CompletionStage<T> answer) {
    try {
      return Optional.of(answer.toCompletableFuture().get(2, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }
}
