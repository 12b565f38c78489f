package org.callchain.chain;

import org.callchain.ledger.AnchorReference;
import org.callchain.ledger.AnchoredCheckpoint;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Hash256;

/**
 * The ledger's view of anchors, made from the chain's: what the audit checks a log against ({@link
 * AnchoredCheckpoint}) and what a proof bundle carries ({@link AnchorReference}). The chain code
 * keeps its own address and root types (written in parallel with the ledger's); this is the one
 * place that crosses between them.
 */
public final class LedgerAnchors {
  private LedgerAnchors() {}

  /** What a log's signed checkpoint asks the chain to anchor. */
  public static AnchorCheckpoint checkpointOf(Checkpoint checkpoint) {
    return new AnchorCheckpoint(
        checkpoint.treeSize(), new RootHash(checkpoint.rootHash().toBytes()));
  }

  /** An anchor read from the chain's events. */
  public static AnchoredCheckpoint anchored(OnChainAnchor a) {
    return new AnchoredCheckpoint(
        ledgerDevice(a.device()),
        a.checkpoint().treeSize(),
        Hash256.of(a.checkpoint().root().bytes()),
        a.transactionHash(),
        a.blockNumber());
  }

  /** An anchor the anchor service of {@code device} confirmed (its queue knows no device). */
  public static AnchoredCheckpoint anchored(
      org.callchain.identity.DeviceAddress device, ConfirmedAnchor a) {
    return new AnchoredCheckpoint(
        device,
        a.checkpoint().treeSize(),
        Hash256.of(a.checkpoint().root().bytes()),
        a.transactionHash(),
        a.blockNumber());
  }

  /** The reference a proof bundle carries to an anchor read from {@code connection}'s chain. */
  public static AnchorReference reference(ChainConnection connection, OnChainAnchor a) {
    return new AnchorReference(
        connection.chainId(),
        connection.contracts().anchor().hex(),
        a.transactionHash(),
        a.blockNumber(),
        a.checkpoint().treeSize(),
        Hash256.of(a.checkpoint().root().bytes()));
  }

  /** What the chain must hold for {@code reference} to be true. */
  public static AnchorCheckpoint checkpointOf(AnchorReference reference) {
    return new AnchorCheckpoint(
        reference.anchoredTreeSize(), new RootHash(reference.anchoredRoot().toBytes()));
  }

  public static DeviceAddress chainDevice(org.callchain.identity.DeviceAddress device) {
    return new DeviceAddress(device.toBytes());
  }

  public static org.callchain.identity.DeviceAddress ledgerDevice(DeviceAddress device) {
    return org.callchain.identity.DeviceAddress.of(device.bytes());
  }
}
