package org.callchain.chain;

import java.util.List;
import java.util.Optional;

/**
 * The node's view of the on-chain registry: answered from a local cache that follows the contract's
 * events and is kept in a synced snapshot on disk, so a restart or an RPC outage keeps the last
 * known registry. Lookups never block on the network; {@link #freshness()} says how current the
 * answers are.
 */
public interface DeviceRegistryClient extends AutoCloseable {

  Optional<DeviceRecord> lookup(DeviceAddress device);

  /** True when the registry (as last synced) lists the device as active. */
  default boolean isActive(DeviceAddress device) {
    return lookup(device).map(DeviceRecord::active).orElse(false);
  }

  /** True when the device is active and bound to this SIP identity (exact string match). */
  default boolean isActiveFor(DeviceAddress device, String sipIdentity) {
    return lookup(device).map(d -> d.activeFor(sipIdentity)).orElse(false);
  }

  /** Every device known, in registration order. */
  List<DeviceRecord> devices();

  RegistryFreshness freshness();

  /**
   * Pulls the events since the last synced block now (the background poll does the same on its
   * interval) and persists the snapshot.
   */
  void sync() throws ChainException;

  /** Adds a listener told about every device whose record changed (after the cache changed). */
  void addListener(RegistryListener listener);

  @Override
  void close();

  /** Notified when a device was registered, revoked or rotated. */
  @FunctionalInterface
  interface RegistryListener {
    void deviceChanged(DeviceRecord record);
  }
}
