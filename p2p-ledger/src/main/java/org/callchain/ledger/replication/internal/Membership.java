package org.callchain.ledger.replication.internal;

import java.util.Set;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.identity.DeviceAddress;

/**
 * Who takes part: active registered devices (as the registry's cached view says now) publish and
 * witness; configured auditor keys may also connect and witness, but never own a log.
 */
final class Membership {
  private final DeviceRegistryClient registry;
  private final Set<DeviceAddress> auditors;

  Membership(DeviceRegistryClient registry, Set<DeviceAddress> auditors) {
    this.registry = registry;
    this.auditors = Set.copyOf(auditors);
  }

  boolean isActiveDevice(DeviceAddress device) {
    return registry.isActive(DeviceIds.chain(device));
  }

  boolean isAuditor(DeviceAddress address) {
    return auditors.contains(address);
  }

  boolean mayConnect(DeviceAddress address) {
    return isAuditor(address) || isActiveDevice(address);
  }
}
