package org.callchain.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How current the registry view is. {@code syncedBlock} and {@code syncedAt} describe the last
 * successful sync with the chain (empty before the first); {@code stale} is true when that is older
 * than the configured limit, e.g. during an RPC outage, so callers can apply their policy (the
 * design's default: decide from the snapshot, never accept an unknown device).
 */
public record RegistryFreshness(
    long syncedBlock, Optional<Instant> syncedAt, boolean stale, Optional<String> lastError) {

  public Optional<Duration> age(Instant now) {
    return syncedAt.map(at -> Duration.between(at, now));
  }
}
