package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.DeviceAddress;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * An account that signs its own transactions locally (the node never hands keys to the RPC
 * endpoint). Transactions are EIP-1559 (type 2) when the chain has a base fee, legacy with EIP-155
 * replay protection otherwise. Nonces are the caller's business: the anchor service assigns and
 * persists them itself; {@link #sendAndWait} (admin commands, deployment) takes the endpoint's
 * pending nonce.
 */
public final class SigningAccount {
  private static final BigInteger DEFAULT_PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);

  private final JsonRpc rpc;
  private final long chainId;
  private final Credentials credentials;
  private final DeviceAddress address;

  public SigningAccount(JsonRpc rpc, long chainId, Credentials credentials) {
    this.rpc = rpc;
    this.chainId = chainId;
    this.credentials = credentials;
    this.address = DeviceAddress.parse(credentials.getAddress());
  }

  /** Fee caps baked into a signed transaction; {@code maxFeePerGas} is the gas price if legacy. */
  public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, boolean legacy) {}

  public DeviceAddress address() {
    return address;
  }

  public JsonRpc rpc() {
    return rpc;
  }

  /** Runs the call against the latest state; a refusal throws with the decoded reason. */
  public void simulate(Optional<DeviceAddress> to, String data, String what) throws ChainException {
    rpc.send(
        rpc.web3j().ethCall(call(to, data), DefaultBlockParameterName.LATEST),
        "simulating " + what);
  }

  /** Estimates gas and adds a margin (state can change between estimate and inclusion). */
  public BigInteger gasLimit(Optional<DeviceAddress> to, String data, String what)
      throws ChainException {
    BigInteger estimate =
        rpc.send(rpc.web3j().ethEstimateGas(call(to, data)), "estimating gas for " + what)
            .getAmountUsed();
    return estimate
        .multiply(BigInteger.valueOf(5))
        .divide(BigInteger.valueOf(4))
        .add(BigInteger.valueOf(10_000));
  }

  public Fees fees() throws ChainException {
    EthBlock.Block latest =
        rpc.send(
                rpc.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                "reading the latest block")
            .getBlock();
    if (latest == null || latest.getBaseFeePerGasRaw() == null) {
      BigInteger price = rpc.send(rpc.web3j().ethGasPrice(), "reading the gas price").getGasPrice();
      return new Fees(price, price, true);
    }
    BigInteger priority;
    try {
      priority =
          rpc.send(rpc.web3j().ethMaxPriorityFeePerGas(), "reading the priority fee")
              .getMaxPriorityFeePerGas();
    } catch (ChainException e) {
      if (e.transientFailure()) {
        throw e;
      }
      priority = DEFAULT_PRIORITY_FEE;
    }
    // Twice the base fee survives six full blocks of base-fee growth (EIP-1559: +12.5% each).
    BigInteger max = latest.getBaseFeePerGas().shiftLeft(1).add(priority);
    return new Fees(max, priority, false);
  }

  /** Signs a transaction; {@code to} empty creates a contract. Returns {@code 0x} hex. */
  public String sign(
      long nonce, Optional<DeviceAddress> to, String data, BigInteger gasLimit, Fees fees) {
    String target = to.map(DeviceAddress::hex).orElse("");
    BigInteger n = BigInteger.valueOf(nonce);
    RawTransaction tx =
        fees.legacy()
            ? RawTransaction.createTransaction(
                n, fees.maxFeePerGas(), gasLimit, target, BigInteger.ZERO, data)
            : RawTransaction.createTransaction(
                chainId,
                n,
                gasLimit,
                target,
                BigInteger.ZERO,
                data,
                fees.maxPriorityFeePerGas(),
                fees.maxFeePerGas());
    return Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, credentials));
  }

  public static String hashOf(String signedHex) {
    return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(signedHex)));
  }

  /**
   * Broadcasts a signed transaction and returns its hash. Re-broadcasting one the node already has
   * is not an error: after a restart or an outage we re-send the very same bytes.
   */
  public String broadcast(String signedHex, String what) throws ChainException {
    String hash = hashOf(signedHex);
    try {
      EthSendTransaction sent =
          rpc.send(rpc.web3j().ethSendRawTransaction(signedHex), "sending " + what);
      return sent.getTransactionHash() == null ? hash : sent.getTransactionHash();
    } catch (ChainException e) {
      String m = e.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("already known") || m.contains("known transaction")) {
        return hash;
      }
      throw e;
    }
  }

  public Optional<TransactionReceipt> receipt(String hash) throws ChainException {
    return rpc.send(rpc.web3j().ethGetTransactionReceipt(hash), "reading a receipt")
        .getTransactionReceipt();
  }

  /** The next nonce by the endpoint's count of mined ({@code latest}) transactions. */
  public long minedNonce() throws ChainException {
    return rpc.send(
            rpc.web3j().ethGetTransactionCount(address.hex(), DefaultBlockParameterName.LATEST),
            "reading the nonce of " + address)
        .getTransactionCount()
        .longValueExact();
  }

  /** The next nonce counting the endpoint's pending pool. */
  public long pendingNonce() throws ChainException {
    return rpc.send(
            rpc.web3j().ethGetTransactionCount(address.hex(), DefaultBlockParameterName.PENDING),
            "reading the nonce of " + address)
        .getTransactionCount()
        .longValueExact();
  }

  /**
   * Simulates, signs with the pending nonce, sends and waits for the receipt. Used for rare one-off
   * transactions (deployment, registry changes), not for anchors.
   */
  public TransactionReceipt sendAndWait(
      Optional<DeviceAddress> to, String data, String what, Duration timeout)
      throws ChainException {
    simulate(to, data, what);
    BigInteger gas = gasLimit(to, data, what);
    String signed = sign(pendingNonce(), to, data, gas, fees());
    String hash = broadcast(signed, what);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<TransactionReceipt> receipt = receipt(hash);
      if (receipt.isPresent()) {
        TransactionReceipt r = receipt.get();
        if (!r.isStatusOK()) {
          throw new ChainException(
              Reason.REVERTED, "contract refused (" + what + "): " + replayReason(to, data, r));
        }
        return r;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ChainException(
        Reason.UNREACHABLE, "no receipt for " + what + " (" + hash + ") within " + timeout);
  }

  /** A mined transaction failed: re-run it against the latest state to learn the reason. */
  String replayReason(Optional<DeviceAddress> to, String data, TransactionReceipt r) {
    try {
      simulate(to, data, "replaying " + r.getTransactionHash());
      return "reverted (out of gas, or the state changed before inclusion)";
    } catch (ChainException e) {
      String m = e.getMessage();
      int colon = m.indexOf("): ");
      return colon >= 0 ? m.substring(colon + 3) : m;
    }
  }

  private Transaction call(Optional<DeviceAddress> to, String data) {
    return Transaction.createFunctionCallTransaction(
        address.hex(), null, null, null, to.map(DeviceAddress::hex).orElse(null), data);
  }
}
