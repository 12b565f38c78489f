package org.callchain.chain;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the chain clients need, with documented defaults ({@link #defaults(Path)}).
 *
 * @param rpcUrl JSON-RPC endpoint; empty means "start a local Anvil" (the single-machine default),
 *     which also deploys the contracts
 * @param chainId the chain id the endpoint must report (EIP-155); Anvil's default is 31337
 * @param contracts where the contracts live; required with an RPC URL, ignored for local Anvil
 * @param confirmations blocks on top of an anchor's block before it counts as confirmed (1 = the
 *     block itself is enough)
 * @param anchorEveryRecords anchor once this many records were committed since the last anchor
 * @param anchorEvery ... or once this much time passed with at least one new record
 * @param pollInterval how often receipts, new blocks and registry events are polled
 * @param registryStaleAfter the registry view counts as stale when its last sync is older
 * @param rpcTimeout per-request timeout of the JSON-RPC client
 * @param localBlockTime block time of the local Anvil; zero means mine on every transaction
 * @param dataDir where the anchor queue, the registry snapshot and the local chain state live
 * @param feeBumpAfter an anchor transaction not mined this long after it was signed is replaced
 *     (same nonce, fees raised by at least 12.5%, or to the market if higher)
 */
public record ChainConfig(
    Optional<URI> rpcUrl,
    long chainId,
    Optional<ContractAddresses> contracts,
    int confirmations,
    int anchorEveryRecords,
    Duration anchorEvery,
    Duration pollInterval,
    Duration registryStaleAfter,
    Duration rpcTimeout,
    Duration localBlockTime,
    Path dataDir,
    Duration feeBumpAfter) {

  public static final long ANVIL_CHAIN_ID = 31337;

  public static final Duration DEFAULT_FEE_BUMP_AFTER = Duration.ofMinutes(2);

  public ChainConfig {
    if (rpcUrl.isPresent() && contracts.isEmpty()) {
      throw new IllegalArgumentException(
          "chain.contracts (registry and anchor addresses) are required with chain.rpc-url");
    }
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain.chain-id must be positive: " + chainId);
    }
    if (confirmations < 1) {
      throw new IllegalArgumentException("chain.confirmations must be at least 1");
    }
    if (anchorEveryRecords < 1) {
      throw new IllegalArgumentException("chain.anchor-every-records must be at least 1");
    }
    requirePositive(anchorEvery, "chain.anchor-every");
    requirePositive(pollInterval, "chain.poll-interval");
    requirePositive(registryStaleAfter, "chain.registry-stale-after");
    requirePositive(rpcTimeout, "chain.rpc-timeout");
    requirePositive(feeBumpAfter, "chain.fee-bump-after");
    if (localBlockTime.isNegative()) {
      throw new IllegalArgumentException("chain.local-block-time must not be negative");
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("a data directory is required");
    }
  }

  /** The configuration with the default fee bump timeout ({@link #DEFAULT_FEE_BUMP_AFTER}). */
  public ChainConfig(
      Optional<URI> rpcUrl,
      long chainId,
      Optional<ContractAddresses> contracts,
      int confirmations,
      int anchorEveryRecords,
      Duration anchorEvery,
      Duration pollInterval,
      Duration registryStaleAfter,
      Duration rpcTimeout,
      Duration localBlockTime,
      Path dataDir) {
    this(
        rpcUrl,
        chainId,
        contracts,
        confirmations,
        anchorEveryRecords,
        anchorEvery,
        pollInterval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dataDir,
        DEFAULT_FEE_BUMP_AFTER);
  }

  /**
   * A local Anvil chain, 1-second blocks, anchors every 64 records or 60 s, 2 confirmations, fee
   * bump after 2 minutes.
   */
  public static ChainConfig defaults(Path dataDir) {
    return new ChainConfig(
        Optional.empty(),
        ANVIL_CHAIN_ID,
        Optional.empty(),
        2,
        64,
        Duration.ofSeconds(60),
        Duration.ofMillis(500),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        dataDir,
        DEFAULT_FEE_BUMP_AFTER);
  }

  public ChainConfig withRemote(URI url, long id, ContractAddresses addresses) {
    return new ChainConfig(
        Optional.of(url),
        id,
        Optional.of(addresses),
        confirmations,
        anchorEveryRecords,
        anchorEvery,
        pollInterval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dataDir,
        feeBumpAfter);
  }

  public ChainConfig withConfirmations(int depth) {
    return new ChainConfig(
        rpcUrl,
        chainId,
        contracts,
        depth,
        anchorEveryRecords,
        anchorEvery,
        pollInterval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dataDir,
        feeBumpAfter);
  }

  public ChainConfig withCadence(int everyRecords, Duration every) {
    return new ChainConfig(
        rpcUrl,
        chainId,
        contracts,
        confirmations,
        everyRecords,
        every,
        pollInterval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dataDir,
        feeBumpAfter);
  }

  public ChainConfig withPollInterval(Duration interval) {
    return new ChainConfig(
        rpcUrl,
        chainId,
        contracts,
        confirmations,
        anchorEveryRecords,
        anchorEvery,
        interval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dataDir,
        feeBumpAfter);
  }

  public ChainConfig withDataDir(Path dir) {
    return new ChainConfig(
        rpcUrl,
        chainId,
        contracts,
        confirmations,
        anchorEveryRecords,
        anchorEvery,
        pollInterval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dir,
        feeBumpAfter);
  }

  public ChainConfig withFeeBumpAfter(Duration after) {
    return new ChainConfig(
        rpcUrl,
        chainId,
        contracts,
        confirmations,
        anchorEveryRecords,
        anchorEvery,
        pollInterval,
        registryStaleAfter,
        rpcTimeout,
        localBlockTime,
        dataDir,
        after);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }
}
