package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client follows contract events, keeps its snapshot on disk, and answers from it
 * through an RPC outage and a restart — with the freshness saying so.
 */
class RegistryClientInteropIT {
  @TempDir Path data;

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void followsEventsAndKeepsTheLastKnownRegistryThroughOutageAndRestart() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ZERO)) {
      ChainConfig config = chain.config(data);
      DeviceAddress alice = chain.address(1);
      DeviceAddress bob = chain.address(2);
      try (ChainConnection connection = Chains.connect(config)) {
        RegistryAdmin admin = Chains.registryAdmin(connection, chain.key(0));
        admin.register(alice, "sip:alice@example.com");
        try (DeviceRegistryClient registry = Chains.registry(connection, config)) {
          List<DeviceRecord> changes = new CopyOnWriteArrayList<>();
          registry.addListener(changes::add);
          await("alice", () -> registry.isActive(alice));
          assertThat(registry.isActiveFor(alice, "sip:alice@example.com")).isTrue();
          assertThat(registry.isActiveFor(alice, "sip:eve@example.com")).isFalse();

          admin.register(bob, "sip:bob@example.com");
          admin.revoke(alice);
          await("events applied", () -> registry.isActive(bob) && !registry.isActive(alice));
          // listeners are told right after the cache changed, on the sync thread
          await(
              "listeners told",
              () ->
                  changes.stream()
                      .map(DeviceRecord::address)
                      .toList()
                      .containsAll(List.of(bob, alice)));
          assertThat(registry.lookup(alice))
              .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(DeviceStatus.REVOKED));
          assertThat(registry.devices())
              .extracting(DeviceRecord::address)
              .containsExactly(alice, bob);
          assertThat(registry.freshness().stale()).isFalse();

          chain.killAfterStateSaved(); // the chain is gone
          assertThat(registry.isActive(bob)).isTrue();
          await("the outage noticed", () -> registry.freshness().lastError().isPresent());
          assertThat(registry.freshness().lastError().get()).contains("unreachable");
        }
      }
      assertThat(Files.exists(data.resolve("registry-snapshot.json"))).isTrue();

      // A new client while the chain is still down answers from the snapshot.
      chain.anvil.restart();
      try (ChainConnection connection = Chains.connect(config)) {
        chain.anvil.kill();
        try (DeviceRegistryClient registry = Chains.registry(connection, config)) {
          assertThat(registry.isActive(bob)).isTrue();
          assertThat(registry.isActive(alice)).isFalse();
          assertThat(registry.freshness().syncedBlock()).isPositive();
        }
      }
    }
  }
}
