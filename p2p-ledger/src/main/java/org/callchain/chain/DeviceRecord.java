package org.callchain.chain;

import java.util.Optional;

/**
 * One device as the registry knows it. {@code successor} is the key it was rotated to; block
 * numbers say when it was registered and last changed.
 */
public record DeviceRecord(
    DeviceAddress address,
    DeviceStatus status,
    String sipIdentity,
    long registeredBlock,
    long changedBlock,
    Optional<DeviceAddress> successor) {

  public boolean active() {
    return status == DeviceStatus.ACTIVE;
  }

  /** True when the device is active and bound to exactly this SIP identity. */
  public boolean activeFor(String sip) {
    return active() && sipIdentity.equals(sip);
  }
}
