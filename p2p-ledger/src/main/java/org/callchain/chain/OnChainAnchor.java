package org.callchain.chain;

import java.time.Instant;

/**
 * One {@code Anchored} event as the chain holds it: the authoritative record of an anchor (the
 * contract stores only a fingerprint). What a proof bundle's anchor reference points at, and what
 * {@code ledger verify} compares with the local log.
 */
public record OnChainAnchor(
    DeviceAddress device,
    AnchorCheckpoint checkpoint,
    long previousSize,
    Instant blockTime,
    String transactionHash,
    long blockNumber,
    String blockHash) {}
