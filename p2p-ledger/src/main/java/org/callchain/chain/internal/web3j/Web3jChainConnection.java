package org.callchain.chain.internal.web3j;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.ContractAddresses;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.LocalChain;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A connection that was checked when it was opened: the endpoint answers, its chain id (EIP-155,
 * {@code eth_chainId}) is the configured one, and both contract addresses hold code. A wrong
 * address is the usual mistake after a redeploy; it would otherwise show up later as calls that
 * silently return nothing.
 */
public final class Web3jChainConnection implements ChainConnection {
  private final JsonRpc rpc;
  private final long chainId;
  private final ContractAddresses contracts;
  private final Optional<LocalChain> local;

  private Web3jChainConnection(
      JsonRpc rpc, long chainId, ContractAddresses contracts, Optional<LocalChain> local) {
    this.rpc = rpc;
    this.chainId = chainId;
    this.contracts = contracts;
    this.local = local;
  }

  /** Opens and checks a connection. {@code local}, when present, is stopped by {@link #close()}. */
  public static Web3jChainConnection open(
      String url,
      long expectedChainId,
      ContractAddresses contracts,
      Duration timeout,
      Optional<LocalChain> local)
      throws ChainException {
    JsonRpc rpc = new JsonRpc(url, timeout);
    try {
      long actual = readChainId(rpc);
      if (actual != expectedChainId) {
        throw new ChainException(
            Reason.WRONG_CHAIN_ID,
            "the endpoint "
                + url
                + " serves chain id "
                + actual
                + ", but chain id "
                + expectedChainId
                + " is configured");
      }
      requireCode(rpc, contracts.registry(), "DeviceRegistry");
      requireCode(rpc, contracts.anchor(), "LedgerAnchor");
      return new Web3jChainConnection(rpc, actual, contracts, local);
    } catch (ChainException | RuntimeException e) {
      rpc.close();
      throw e;
    }
  }

  /**
   * Opens a connection knowing only the anchor contract: the registry is the one the anchor
   * contract names. The chain id is checked first, so a wrong chain is reported as such.
   */
  public static Web3jChainConnection openByAnchor(
      String url, long expectedChainId, DeviceAddress anchor, Duration timeout)
      throws ChainException {
    DeviceAddress registry;
    try (JsonRpc rpc = new JsonRpc(url, timeout)) {
      long actual = readChainId(rpc);
      if (actual != expectedChainId) {
        throw new ChainException(
            Reason.WRONG_CHAIN_ID,
            "the endpoint "
                + url
                + " serves chain id "
                + actual
                + ", but chain id "
                + expectedChainId
                + " is configured");
      }
      requireCode(rpc, anchor, "LedgerAnchor");
      registry = new ContractReads(rpc, anchor, anchor).registryOfAnchor();
    }
    return open(
        url, expectedChainId, new ContractAddresses(registry, anchor), timeout, Optional.empty());
  }

  static long readChainId(JsonRpc rpc) throws ChainException {
    return rpc.send(rpc.web3j().ethChainId(), "reading the chain id").getChainId().longValueExact();
  }

  static void requireCode(JsonRpc rpc, DeviceAddress address, String name) throws ChainException {
    String code =
        rpc.send(
                rpc.web3j().ethGetCode(address.hex(), DefaultBlockParameterName.LATEST),
                "reading the code of " + name)
            .getCode();
    if (code == null || code.equals("0x") || code.isEmpty()) {
      throw new ChainException(
          Reason.MISSING_CONTRACT,
          "no " + name + " contract at " + address + " at " + rpc.url() + " (wrong address?)");
    }
  }

  public JsonRpc rpc() {
    return rpc;
  }

  @Override
  public String rpcUrl() {
    return rpc.url();
  }

  @Override
  public long chainId() {
    return chainId;
  }

  @Override
  public ContractAddresses contracts() {
    return contracts;
  }

  @Override
  public long blockNumber() throws ChainException {
    return rpc.send(rpc.web3j().ethBlockNumber(), "reading the block number")
        .getBlockNumber()
        .longValueExact();
  }

  @Override
  public void requireFunded(DeviceAddress account) throws ChainException {
    BigInteger balance =
        rpc.send(
                rpc.web3j().ethGetBalance(account.hex(), DefaultBlockParameterName.LATEST),
                "reading the balance of " + account)
            .getBalance();
    if (balance.signum() == 0) {
      throw new ChainException(
          Reason.UNFUNDED_ACCOUNT,
          "account " + account + " has no ether on chain " + chainId + ": fund it to pay for gas");
    }
  }

  @Override
  public void close() {
    rpc.close();
    local.ifPresent(LocalChain::close);
  }
}
