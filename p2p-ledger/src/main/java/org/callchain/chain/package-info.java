/**
 * The chain side of the ledger: the on-chain device registry (who may call and be a peer) and
 * anchoring of each device's log checkpoints, over any Ethereum JSON-RPC endpoint.
 *
 * <p>This package is the API: value types ({@link org.callchain.chain.DeviceAddress}, {@link
 * org.callchain.chain.RootHash}, {@link org.callchain.chain.AnchorCheckpoint}), configuration, the
 * client interfaces and their events and exceptions. {@link org.callchain.chain.Chains} is the one
 * entry point that builds the web3j, RocksDB and Anvil implementations, which live in {@code
 * internal.*}. The design and gas figures are in {@code docs/chain.md}.
 */
package org.callchain.chain;
