package org.callchain.chain;

import java.util.Arrays;
import java.util.Objects;
import org.callchain.chain.internal.web3j.StatementSigning;
import org.web3j.crypto.Credentials;

/**
 * A device's signed permission to anchor one checkpoint of its log: "my log has this size and root
 * on this chain's anchor contract". Anyone holding it can put it in a batch ({@link
 * BatchAnchorer}); the contract recovers the device from the signature, so no one can anchor for a
 * device without its key. The signed digest is EIP-191 version 0x00 ("data with intended
 * validator"): {@code keccak256(0x19 ‖ 0x00 ‖ anchorContract ‖ chainId (32 bytes) ‖ treeSize (8
 * bytes) ‖ root)}; the signature is EIP-2098 compact ({@code r}, {@code yParityAndS}).
 *
 * @see <a href="https://eips.ethereum.org/EIPS/eip-191">EIP-191</a>
 * @see <a href="https://eips.ethereum.org/EIPS/eip-2098">EIP-2098</a>
 */
public record AnchorStatement(
    DeviceAddress device, AnchorCheckpoint checkpoint, byte[] r, byte[] yParityAndS) {
  public AnchorStatement {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (r == null || r.length != 32 || yParityAndS == null || yParityAndS.length != 32) {
      throw new IllegalArgumentException("a compact signature is two 32-byte words");
    }
    r = r.clone();
    yParityAndS = yParityAndS.clone();
  }

  @Override
  public byte[] r() {
    return r.clone();
  }

  @Override
  public byte[] yParityAndS() {
    return yParityAndS.clone();
  }

  /** The statement {@code key}'s device signs for {@code checkpoint} on that chain and contract. */
  public static AnchorStatement sign(
      Credentials key, long chainId, DeviceAddress anchorContract, AnchorCheckpoint checkpoint) {
    return StatementSigning.sign(key, chainId, anchorContract, checkpoint);
  }

  /** The digest the device signs (what the contract's {@code statementDigest} returns). */
  public static byte[] digest(
      long chainId, DeviceAddress anchorContract, AnchorCheckpoint checkpoint) {
    return StatementSigning.digest(chainId, anchorContract, checkpoint);
  }

  /** Whether the signature is {@link #device()}'s over this statement for that chain/contract. */
  public boolean signatureValid(long chainId, DeviceAddress anchorContract) {
    return StatementSigning.recover(chainId, anchorContract, this)
        .map(device::equals)
        .orElse(false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnchorStatement s
        && device.equals(s.device)
        && checkpoint.equals(s.checkpoint)
        && Arrays.equals(r, s.r)
        && Arrays.equals(yParityAndS, s.yParityAndS);
  }

  @Override
  public int hashCode() {
    return Objects.hash(device, checkpoint, Arrays.hashCode(r), Arrays.hashCode(yParityAndS));
  }

  @Override
  public String toString() {
    return "AnchorStatement[" + device + " size " + checkpoint.treeSize() + "]";
  }
}
