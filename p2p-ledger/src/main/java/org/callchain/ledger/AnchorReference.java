package org.callchain.ledger;

import java.util.Objects;

/**
 * Where a checkpoint was anchored on chain: the chain id, the anchor contract, the transaction and
 * block whose {@code Anchored} event recorded it, and the tree size and root that event states. The
 * anchored tree is at least as large as the bundle's checkpoint; the bundle carries the RFC 9162
 * §2.1.4 consistency proof between the two, so a verifier with chain access only has to find the
 * event.
 */
public record AnchorReference(
    long chainId,
    String contractAddress,
    String transactionHash,
    long blockNumber,
    long anchoredTreeSize,
    Hash256 anchoredRoot) {
  public AnchorReference {
    Objects.requireNonNull(contractAddress, "contractAddress");
    Objects.requireNonNull(transactionHash, "transactionHash");
    Objects.requireNonNull(anchoredRoot, "anchoredRoot");
    if (anchoredTreeSize <= 0 || blockNumber < 0) {
      throw new IllegalArgumentException(
          "an anchor covers at least one leaf and lies in a block: size "
              + anchoredTreeSize
              + ", block "
              + blockNumber);
    }
  }
}
