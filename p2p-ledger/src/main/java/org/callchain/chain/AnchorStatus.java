package org.callchain.chain;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code callchain anchor status} shows.
 *
 * @param queued checkpoints waiting for a nonce
 * @param inFlight checkpoints sent and not yet confirmed
 * @param lastConfirmed the newest confirmed anchor
 * @param latestCommittedSize the newest tree size offered to the service
 * @param lagRecords records committed locally but not yet covered by a confirmed anchor
 * @param lag age of the oldest checkpoint not yet confirmed (zero when none)
 * @param nextNonce the nonce the next anchor transaction will use
 * @param lastError the last failure (RPC outage, revert reason), cleared by the next success
 */
public record AnchorStatus(
    int queued,
    int inFlight,
    Optional<ConfirmedAnchor> lastConfirmed,
    long latestCommittedSize,
    long lagRecords,
    Duration lag,
    long nextNonce,
    Optional<String> lastError) {}
