package org.callchain.chain.internal.anchor;

import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;

/**
 * What the anchor engine needs from the chain, nothing more: small enough for a test double,
 * implemented over JSON-RPC by {@code internal.web3j.Web3jAnchorChain}.
 */
public interface AnchorChain {

  /** A signed anchor transaction, ready to broadcast. */
  record SignedAnchor(String rawTransaction, String hash) {}

  /** What a receipt says: where the transaction is and whether it succeeded. */
  record Receipt(long blockNumber, String blockHash, boolean success) {}

  /** Runs the anchor against the latest state; throws REVERTED with the contract's reason. */
  void simulate(AnchorCheckpoint checkpoint) throws ChainException;

  /**
   * Estimates gas, reads fees, checks the account can pay, and signs with this nonce. Nothing is
   * sent.
   */
  SignedAnchor sign(long nonce, AnchorCheckpoint checkpoint) throws ChainException;

  /**
   * Signs a replacement of {@code rawTransaction}: the same nonce, gas limit and call, with fees
   * raised by at least 12.5% over it (the replacement rule of common mempools, which ask +10%), or
   * to the current market if that is higher. Nothing is sent.
   */
  SignedAnchor replace(String rawTransaction, AnchorCheckpoint checkpoint) throws ChainException;

  /** Broadcasts; re-broadcasting a transaction the node already has is fine. */
  void broadcast(String rawTransaction) throws ChainException;

  Optional<Receipt> receipt(String transactionHash) throws ChainException;

  long blockNumber() throws ChainException;

  Optional<String> blockHash(long number) throws ChainException;

  /** How many transactions of the sending account are mined (its next unused nonce). */
  long minedNonce() throws ChainException;

  /** The tree size of the account's latest anchor on chain (0 before the first). */
  long anchoredSize() throws ChainException;

  /**
   * The account's latest anchor as its {@code Anchored} event tells it (whoever sent the
   * transaction: the device itself, or an aggregator's batch), empty before the first.
   */
  default Optional<org.callchain.chain.OnChainAnchor> latestAnchor() throws ChainException {
    return Optional.empty();
  }

  /** Why a mined anchor transaction failed, found by re-running it. */
  String revertReason(AnchorCheckpoint checkpoint);
}
