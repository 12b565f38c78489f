package org.callchain.node.admission;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What admission does when the registry view may be out of date because the chain is unreachable
 * (the registry client answers from its last synced snapshot and says how old it is, {@code
 * DeviceRegistryClient.freshness()}). Whatever the policy, a device the snapshot does not know is
 * never accepted.
 *
 * <ul>
 *   <li>{@link #DECIDE_FROM_SNAPSHOT} (the default): decide every call from the last synced
 *       snapshot, however old — a device registered before the outage keeps working, one revoked
 *       during it keeps working until the chain is reached again.
 *   <li>{@link #refuseWhenOlderThan}: refuse every call with 503 while the last successful sync is
 *       older than the limit (or there never was one), for deployments where a revocation must take
 *       effect within a bound.
 * </ul>
 *
 * @param maxSnapshotAge refuse all calls when the last sync is older than this; empty = never
 */
public record UnreachablePolicy(Optional<Duration> maxSnapshotAge) {
  /** Decide from the last synced snapshot, whatever its age. */
  public static final UnreachablePolicy DECIDE_FROM_SNAPSHOT =
      new UnreachablePolicy(Optional.empty());

  public UnreachablePolicy {
    Objects.requireNonNull(maxSnapshotAge, "maxSnapshotAge");
    maxSnapshotAge.ifPresent(
        d -> {
          if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the snapshot age limit must be positive");
          }
        });
  }

  /** Refuse every call while the snapshot is older than {@code limit}. */
  public static UnreachablePolicy refuseWhenOlderThan(Duration limit) {
    return new UnreachablePolicy(Optional.of(limit));
  }
}
