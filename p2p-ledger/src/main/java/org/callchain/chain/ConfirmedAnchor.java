package org.callchain.chain;

import java.time.Instant;

/**
 * An anchor that reached the configured confirmation depth: the checkpoint it committed and where
 * it is on chain (what a proof bundle carries as its anchor reference).
 */
public record ConfirmedAnchor(
    AnchorCheckpoint checkpoint,
    String transactionHash,
    long blockNumber,
    String blockHash,
    long nonce,
    Instant queuedAt,
    Instant confirmedAt) {}
