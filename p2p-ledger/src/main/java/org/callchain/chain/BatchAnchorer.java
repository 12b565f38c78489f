package org.callchain.chain;

import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * Anchors the checkpoints of several devices in one transaction ({@code LedgerAnchor.anchorBatch},
 * ADR 0052): the submitting account pays, each entry is authorised by its device's {@link
 * AnchorStatement}. One transaction's 21,000 base gas is shared by every entry, which is what
 * brings the cost per record under the targets of docs/chain.md.
 *
 * <p>This is the synchronous path (simulate, sign with the pending nonce, send, await the receipt);
 * it keeps no queue of its own. A refused batch reverts as a whole and names the entry.
 */
public interface BatchAnchorer {

  /** The statement {@code device} signs for {@code checkpoint} on this chain and contract. */
  AnchorStatement sign(Credentials device, AnchorCheckpoint checkpoint);

  /**
   * Anchors every statement in one transaction and waits for its receipt.
   *
   * @throws ChainException {@link ChainException.Reason#REVERTED} naming the refused entry (bad
   *     signature, inactive device, non-growing size) before anything is sent, or a transport
   *     reason
   */
  BatchReceipt submit(List<AnchorStatement> statements) throws ChainException;

  /** A mined batch: its transaction, block and gas. */
  record BatchReceipt(String transactionHash, long blockNumber, long gasUsed, int entries) {}
}
