package org.callchain.chain;

/** The result of deploying the contracts: where they are, on which chain, and who is admin. */
public record Deployment(
    long chainId, ContractAddresses contracts, DeviceAddress admin, long deployedInBlock) {}
