package org.callchain.ledger;

import java.util.Objects;

/**
 * Where a checkpoint was anchored on chain: the chain id, the anchor contract, the transaction and
 * block that recorded it, and the tree size anchored (at least the bundle's checkpoint size).
 * Filled in by the chain module once anchoring exists; bundles carry {@code null} until then.
 */
public record AnchorReference(
    long chainId,
    String contractAddress,
    String transactionHash,
    long blockNumber,
    long anchoredTreeSize) {
  public AnchorReference {
    Objects.requireNonNull(contractAddress, "contractAddress");
    Objects.requireNonNull(transactionHash, "transactionHash");
  }
}
