package org.callchain.chain;

import java.util.List;

/**
 * A local development chain (Anvil) this process started: loopback only, on a free port, stopped on
 * {@link #close()} and by a shutdown hook. Its state can live in a file, so a restart continues the
 * same chain.
 */
public interface LocalChain extends AutoCloseable {

  String rpcUrl();

  long chainId();

  /** The funded development accounts' private keys (hex), well known: never use on a real chain. */
  List<String> devPrivateKeys();

  /** Stops the node gracefully, so its state file is written. */
  @Override
  void close();

  /** Kills the node at once (SIGKILL), as a crash or outage would. */
  void kill();

  /** Starts the node again on the same port, from its state file. */
  void restart() throws ChainException;
}
