package org.callchain.node.admission;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.RegistryFreshness;

/** Test double: a registry view held in memory, with a freshness the test sets. */
final class InMemoryRegistry implements DeviceRegistryClient {
  private final Map<DeviceAddress, DeviceRecord> devices = new LinkedHashMap<>();
  private RegistryFreshness freshness =
      new RegistryFreshness(1, Optional.of(Instant.EPOCH), false, Optional.empty());

  void put(org.callchain.identity.DeviceAddress device, DeviceStatus status, String sipIdentity) {
    DeviceAddress a = new DeviceAddress(device.toBytes());
    devices.put(a, new DeviceRecord(a, status, sipIdentity, 1, 1, Optional.empty()));
  }

  void freshness(RegistryFreshness f) {
    freshness = f;
  }

  @Override
  public Optional<DeviceRecord> lookup(DeviceAddress device) {
    return Optional.ofNullable(devices.get(device));
  }

  @Override
  public List<DeviceRecord> devices() {
    return new ArrayList<>(devices.values());
  }

  @Override
  public RegistryFreshness freshness() {
    return freshness;
  }

  @Override
  public void sync() {}

  @Override
  public void addListener(RegistryListener listener) {}

  @Override
  public void close() {}
}
