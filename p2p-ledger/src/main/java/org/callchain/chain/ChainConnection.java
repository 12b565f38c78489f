package org.callchain.chain;

/**
 * A checked connection to a chain that holds the Callchain contracts: the endpoint answered, serves
 * the configured chain id, and has contract code at both configured addresses. Opening one fails
 * with a {@link ChainException} that says which of these does not hold.
 */
public interface ChainConnection extends AutoCloseable {

  String rpcUrl();

  long chainId();

  ContractAddresses contracts();

  /** The newest block number the endpoint knows. */
  long blockNumber() throws ChainException;

  /** Fails with {@link ChainException.Reason#UNFUNDED_ACCOUNT} when the account has no ether. */
  void requireFunded(DeviceAddress account) throws ChainException;

  /** Closes the RPC client, and stops the local chain if this connection started one. */
  @Override
  void close();
}
