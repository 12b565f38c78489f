package org.callchain.chain;

import java.util.Objects;

/**
 * The anchor contract an {@link AnchorStatement} is bound to: its chain id and address, the two
 * values the EIP-191 version 0x00 digest commits to. A statement checked here is one the contract's
 * {@code anchorBatch} will recover to the same device.
 */
public record AnchorContract(long chainId, DeviceAddress address) {
  public AnchorContract {
    Objects.requireNonNull(address, "address");
  }

  /** Whether {@code statement} is signed by its device for this chain and contract. */
  public boolean authorises(AnchorStatement statement) {
    return statement.signatureValid(chainId, address);
  }

  /** The statement {@code key}'s device signs for {@code checkpoint} on this contract. */
  public AnchorStatement sign(org.web3j.crypto.Credentials key, AnchorCheckpoint checkpoint) {
    return AnchorStatement.sign(key, chainId, address, checkpoint);
  }
}
