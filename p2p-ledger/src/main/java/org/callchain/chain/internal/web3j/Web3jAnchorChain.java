package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.OnChainAnchor;
import org.callchain.chain.internal.anchor.AnchorChain;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * {@link AnchorChain} over JSON-RPC, sending from the device's own key: through {@code anchor}, or,
 * given the key as statement signer, through {@code anchorBatch} with the device's own signed
 * statement (ADR 0052: the path a batch of co-signed checkpoints will take).
 */
public final class Web3jAnchorChain implements AnchorChain {
  private final SigningAccount device;
  private final DeviceAddress anchorContract;
  private final ContractReads reads;
  private final Optional<Credentials> statementSigner;
  private final long chainId;
  private final Web3jChainConnection connection;

  public Web3jAnchorChain(SigningAccount device, Web3jChainConnection connection) {
    this(device, connection, Optional.empty());
  }

  public Web3jAnchorChain(
      SigningAccount device,
      Web3jChainConnection connection,
      Optional<Credentials> statementSigner) {
    this.device = device;
    this.anchorContract = connection.contracts().anchor();
    this.reads =
        new ContractReads(connection.rpc(), connection.contracts().registry(), anchorContract);
    this.statementSigner = statementSigner;
    this.chainId = connection.chainId();
    this.connection = connection;
  }

  private String calldata(AnchorCheckpoint checkpoint) {
    return statementSigner
        .map(
            key ->
                ContractCalls.anchorBatch(
                    List.of(StatementSigning.sign(key, chainId, anchorContract, checkpoint))))
        .orElseGet(() -> ContractCalls.anchor(checkpoint));
  }

  @Override
  public void simulate(AnchorCheckpoint checkpoint) throws ChainException {
    device.simulate(Optional.of(anchorContract), calldata(checkpoint), anchorWhat(checkpoint));
  }

  @Override
  public SignedAnchor sign(long nonce, AnchorCheckpoint checkpoint) throws ChainException {
    String data = calldata(checkpoint);
    BigInteger gas = device.gasLimit(Optional.of(anchorContract), data, anchorWhat(checkpoint));
    SigningAccount.Fees fees = device.fees();
    BigInteger cost = gas.multiply(fees.maxFeePerGas());
    BigInteger balance =
        device
            .rpc()
            .send(
                device
                    .rpc()
                    .web3j()
                    .ethGetBalance(device.address().hex(), DefaultBlockParameterName.LATEST),
                "reading the balance of " + device.address())
            .getBalance();
    if (balance.compareTo(cost) < 0) {
      throw new ChainException(
          Reason.UNFUNDED_ACCOUNT,
          "device account "
              + device.address()
              + " cannot pay for an anchor (has "
              + balance
              + " wei, needs up to "
              + cost
              + "): fund it");
    }
    String raw = device.sign(nonce, Optional.of(anchorContract), data, gas, fees);
    return new SignedAnchor(raw, SigningAccount.hashOf(raw));
  }

  @Override
  public SignedAnchor replace(String rawTransaction, AnchorCheckpoint checkpoint)
      throws ChainException {
    RawTransaction old = TransactionDecoder.decode(rawTransaction);
    SigningAccount.Fees market = device.fees();
    SigningAccount.Fees fees;
    if (old.getTransaction() instanceof Transaction1559 t) {
      BigInteger priority = max(bump(t.getMaxPriorityFeePerGas()), market.maxPriorityFeePerGas());
      BigInteger maxFee = max(max(bump(t.getMaxFeePerGas()), market.maxFeePerGas()), priority);
      fees = new SigningAccount.Fees(maxFee, priority, false);
    } else {
      BigInteger price = max(bump(old.getGasPrice()), market.maxFeePerGas());
      fees = new SigningAccount.Fees(price, price, true);
    }
    String raw =
        device.sign(
            old.getNonce().longValueExact(),
            Optional.of(anchorContract),
            old.getData().startsWith("0x") ? old.getData() : "0x" + old.getData(),
            old.getGasLimit(),
            fees);
    return new SignedAnchor(raw, SigningAccount.hashOf(raw));
  }

  /** +12.5%, rounded up: above the +10% that geth, Besu and Anvil ask of a replacement. */
  private static BigInteger bump(BigInteger fee) {
    return fee.multiply(BigInteger.valueOf(9)).add(BigInteger.valueOf(7)).shiftRight(3);
  }

  private static BigInteger max(BigInteger a, BigInteger b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public void broadcast(String rawTransaction) throws ChainException {
    device.broadcast(rawTransaction, "an anchor");
  }

  @Override
  public Optional<Receipt> receipt(String transactionHash) throws ChainException {
    return device
        .receipt(transactionHash)
        .filter(r -> r.getBlockHash() != null && r.getBlockNumberRaw() != null)
        .map(
            r ->
                new Receipt(r.getBlockNumber().longValueExact(), r.getBlockHash(), r.isStatusOK()));
  }

  @Override
  public long blockNumber() throws ChainException {
    return device
        .rpc()
        .send(device.rpc().web3j().ethBlockNumber(), "reading the block number")
        .getBlockNumber()
        .longValueExact();
  }

  @Override
  public Optional<String> blockHash(long number) throws ChainException {
    EthBlock.Block b =
        device
            .rpc()
            .send(
                device
                    .rpc()
                    .web3j()
                    .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false),
                "reading block " + number)
            .getBlock();
    return Optional.ofNullable(b).map(EthBlock.Block::getHash);
  }

  @Override
  public long minedNonce() throws ChainException {
    return device.minedNonce();
  }

  @Override
  public long anchoredSize() throws ChainException {
    reads.atBlock(Optional.empty());
    return reads.latestAnchor(device.address()).component1().longValueExact();
  }

  @Override
  public Optional<OnChainAnchor> latestAnchor() throws ChainException {
    reads.atBlock(Optional.empty());
    var latest = reads.latestAnchor(device.address());
    long size = latest.component1().longValueExact();
    if (size == 0) {
      return Optional.empty();
    }
    // The contract keeps the block of the latest anchor; its event there has the full root and
    // the transaction (ADR 0050).
    List<OnChainAnchor> there =
        AnchorHistory.of(connection, device.address(), latest.component2().longValueExact());
    return there.stream().filter(a -> a.checkpoint().treeSize() == size).reduce((a, b) -> b);
  }

  @Override
  public String revertReason(AnchorCheckpoint checkpoint) {
    try {
      simulate(checkpoint);
      return "out of gas, or the state changed before inclusion";
    } catch (ChainException e) {
      String m = e.getMessage();
      int colon = m.indexOf("): ");
      return colon >= 0 ? m.substring(colon + 3) : m;
    }
  }

  private static String anchorWhat(AnchorCheckpoint c) {
    return "anchoring size " + c.treeSize();
  }
}
