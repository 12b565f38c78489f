package org.callchain.chain.internal.web3j;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorStatement;
import org.callchain.chain.BatchAnchorer;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.DeviceAddress;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** {@link BatchAnchorer} over JSON-RPC, sending from the submitter's account. */
public final class Web3jBatchAnchorer implements BatchAnchorer {
  private final SigningAccount submitter;
  private final long chainId;
  private final DeviceAddress anchorContract;
  private final Duration receiptTimeout;

  public Web3jBatchAnchorer(
      SigningAccount submitter, Web3jChainConnection connection, Duration receiptTimeout) {
    this.submitter = submitter;
    this.chainId = connection.chainId();
    this.anchorContract = connection.contracts().anchor();
    this.receiptTimeout = receiptTimeout;
  }

  @Override
  public AnchorStatement sign(Credentials device, AnchorCheckpoint checkpoint) {
    return StatementSigning.sign(device, chainId, anchorContract, checkpoint);
  }

  @Override
  public BatchReceipt submit(List<AnchorStatement> statements) throws ChainException {
    if (statements.isEmpty()) {
      throw new ChainException(Reason.INVALID_INPUT, "an anchor batch needs at least one entry");
    }
    String what = "anchoring a batch of " + statements.size();
    TransactionReceipt r =
        submitter.sendAndWait(
            Optional.of(anchorContract),
            ContractCalls.anchorBatch(statements),
            what,
            receiptTimeout);
    return new BatchReceipt(
        r.getTransactionHash(),
        r.getBlockNumber().longValueExact(),
        r.getGasUsed().longValueExact(),
        statements.size());
  }
}
