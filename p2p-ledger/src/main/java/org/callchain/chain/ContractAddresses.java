package org.callchain.chain;

/** Where the two Callchain contracts live on a chain. */
public record ContractAddresses(DeviceAddress registry, DeviceAddress anchor) {
  public ContractAddresses {
    if (registry == null || anchor == null) {
      throw new IllegalArgumentException("both contract addresses are required");
    }
  }
}
