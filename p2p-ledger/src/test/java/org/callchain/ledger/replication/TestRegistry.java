package org.callchain.ledger.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.RegistryFreshness;
import org.callchain.identity.DeviceAddress;

/**
 * The registry's cached view as the replication code consults it, held in memory for tests:
 * register and revoke change it at once and tell listeners, as the chain client does after it has
 * applied a contract event. The chain client itself is tested against Anvil in the chain package.
 */
public final class TestRegistry implements DeviceRegistryClient {
  private final Map<org.callchain.chain.DeviceAddress, DeviceRecord> devices =
      new ConcurrentHashMap<>();
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private long block;

  public synchronized TestRegistry register(DeviceAddress device) {
    return put(device, DeviceStatus.ACTIVE);
  }

  public synchronized TestRegistry revoke(DeviceAddress device) {
    return put(device, DeviceStatus.REVOKED);
  }

  private TestRegistry put(DeviceAddress device, DeviceStatus status) {
    var address = new org.callchain.chain.DeviceAddress(device.toBytes());
    DeviceRecord record =
        new DeviceRecord(address, status, "sip:" + device + "@test", 1, ++block, Optional.empty());
    devices.put(address, record);
    listeners.forEach(l -> l.deviceChanged(record));
    return this;
  }

  @Override
  public Optional<DeviceRecord> lookup(org.callchain.chain.DeviceAddress device) {
    return Optional.ofNullable(devices.get(device));
  }

  @Override
  public List<DeviceRecord> devices() {
    return new ArrayList<>(devices.values());
  }

  @Override
  public RegistryFreshness freshness() {
    return new RegistryFreshness(block, Optional.empty(), false, Optional.empty());
  }

  @Override
  public void sync() {}

  @Override
  public void addListener(RegistryListener listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {}
}
