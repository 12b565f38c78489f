package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.OnChainAnchor;
import org.callchain.chain.RootHash;
import org.callchain.contracts.generated.LedgerAnchor;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Checks one claimed anchor against the chain: the transaction's receipt exists and succeeded, it
 * lies in the claimed block, that block is on the canonical chain (the block at its number has its
 * hash), and the receipt holds an {@code Anchored} event of the anchor contract for the device with
 * the claimed size and root. Logs are committed in the block's receipts root, so the event is as
 * authoritative as contract storage (ADR 0050).
 */
public final class AnchorLookup {
  private AnchorLookup() {}

  public static OnChainAnchor verify(
      Web3jChainConnection c,
      DeviceAddress device,
      AnchorCheckpoint claimed,
      String transactionHash,
      long blockNumber)
      throws ChainException {
    JsonRpc rpc = c.rpc();
    Optional<TransactionReceipt> found =
        rpc.send(
                rpc.web3j().ethGetTransactionReceipt(transactionHash),
                "reading the receipt of " + transactionHash)
            .getTransactionReceipt();
    if (found.isEmpty()) {
      throw refused("transaction " + transactionHash + " is not on chain");
    }
    TransactionReceipt receipt = found.get();
    if (!receipt.isStatusOK()) {
      throw refused("transaction " + transactionHash + " failed on chain (status 0)");
    }
    long mined = receipt.getBlockNumber().longValueExact();
    if (mined != blockNumber) {
      throw refused(
          "transaction " + transactionHash + " is in block " + mined + ", not " + blockNumber);
    }
    EthBlock.Block block =
        rpc.send(
                rpc.web3j()
                    .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(mined)), false),
                "reading block " + mined)
            .getBlock();
    if (block == null || !block.getHash().equalsIgnoreCase(receipt.getBlockHash())) {
      throw refused(
          "block "
              + mined
              + " holding "
              + transactionHash
              + " is no longer on the canonical chain");
    }
    String topic = EventEncoder.encode(LedgerAnchor.ANCHORED_EVENT);
    String deviceTopic = "0x" + "0".repeat(24) + device.hex().substring(2);
    for (Log log : receipt.getLogs()) {
      if (!c.contracts().anchor().hex().equalsIgnoreCase(log.getAddress())
          || log.getTopics().size() != 2
          || !topic.equalsIgnoreCase(log.getTopics().get(0))
          || !deviceTopic.equalsIgnoreCase(log.getTopics().get(1))) {
        continue;
      }
      LedgerAnchor.AnchoredEventResponse e = LedgerAnchor.getAnchoredEventFromLog(log);
      AnchorCheckpoint onChain =
          new AnchorCheckpoint(e.treeSize.longValueExact(), new RootHash(e.rootHash));
      if (onChain.equals(claimed)) {
        return new OnChainAnchor(
            device,
            onChain,
            e.previousSize.longValueExact(),
            Instant.ofEpochSecond(e.timestamp.longValueExact()),
            receipt.getTransactionHash(),
            mined,
            receipt.getBlockHash());
      }
    }
    throw refused(
        "transaction "
            + transactionHash
            + " holds no anchor of device "
            + device
            + " at size "
            + claimed.treeSize()
            + " with root "
            + claimed.root()
            + " in contract "
            + c.contracts().anchor());
  }

  private static ChainException refused(String message) {
    return new ChainException(Reason.ANCHOR_NOT_ON_CHAIN, message);
  }
}
