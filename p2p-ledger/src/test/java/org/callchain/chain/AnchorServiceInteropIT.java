package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchor service against a real Anvil with 1-second blocks and two confirmations: an RPC outage
 * (Anvil killed, then restarted from its state file) and a service restart with anchors still
 * queued. In both, every queued checkpoint lands exactly once, with consecutive nonces.
 */
class AnchorServiceInteropIT {
  @TempDir Path data;

  static void await(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  static AnchorCheckpoint checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    root[1] = (byte) 0xcc;
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  static boolean drained(AnchorService service) {
    AnchorStatus s = service.status();
    return s.queued() == 0 && s.inFlight() == 0;
  }

  private static void assertEachLandedOnce(AnvilChain chain, DeviceAddress device, long... sizes)
      throws Exception {
    Map<Long, Integer> landed = chain.anchoredSizes(device);
    assertThat(landed.keySet())
        .containsExactlyInAnyOrderElementsOf(LongStream.of(sizes).boxed().toList());
    assertThat(landed.values()).allMatch(n -> n == 1);
  }

  @Test
  void everyQueuedCheckpointLandsOnceAcrossAnRpcOutage() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ofSeconds(1))) {
      ChainConfig config = chain.config(data);
      DeviceAddress device = chain.address(1);
      try (ChainConnection connection = Chains.connect(config)) {
        Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:desk1@example.com");
        try (AnchorService service = Chains.anchorService(connection, config, chain.key(1))) {
          service.anchorNow(checkpoint(1));
          service.anchorNow(checkpoint(2));
          service.anchorNow(checkpoint(3));
          await(
              "an anchor in flight", () -> service.status().inFlight() > 0, Duration.ofSeconds(20));

          chain.anvil.kill();
          service.anchorNow(checkpoint(4));
          service.anchorNow(checkpoint(5));
          await(
              "the outage reported",
              () -> service.status().lastError().map(e -> e.contains("unreachable")).orElse(false),
              Duration.ofSeconds(20));
          assertThat(service.status().queued() + service.status().inFlight())
              .isGreaterThanOrEqualTo(2);
          Thread.sleep(1500);

          chain.anvil.restart();
          service.anchorNow(checkpoint(6));
          await("all anchors confirmed", () -> drained(service), Duration.ofSeconds(60));

          assertThat(service.confirmed())
              .extracting(a -> a.checkpoint().treeSize())
              .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
          assertThat(service.status().lastError()).isEmpty();
        }
      }
      assertEachLandedOnce(chain, device, 1, 2, 3, 4, 5, 6);
    }
  }

  @Test
  void aRestartedServiceLandsTheAnchorsItsPredecessorQueued() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ofSeconds(1))) {
      ChainConfig config = chain.config(data);
      DeviceAddress device = chain.address(2);
      try (ChainConnection connection = Chains.connect(config)) {
        Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:desk2@example.com");
        try (AnchorService first = Chains.anchorService(connection, config, chain.key(2))) {
          first.anchorNow(checkpoint(10));
          first.anchorNow(checkpoint(20));
          await("an anchor in flight", () -> first.status().inFlight() > 0, Duration.ofSeconds(20));
          chain.anvil.kill();
          first.anchorNow(checkpoint(30));
          first.anchorNow(checkpoint(40));
          // stopped with anchors sent and queued
          assertThat(first.status().queued() + first.status().inFlight()).isGreaterThanOrEqualTo(2);
        }
        chain.anvil.restart();
        try (AnchorService second = Chains.anchorService(connection, config, chain.key(2))) {
          second.anchorNow(checkpoint(40)); // re-offered after the restart: not queued twice
          await("all anchors confirmed", () -> drained(second), Duration.ofSeconds(60));
          List<ConfirmedAnchor> confirmed = second.confirmed();
          assertThat(confirmed)
              .extracting(a -> a.checkpoint().treeSize())
              .containsExactly(10L, 20L, 30L, 40L);
          assertThat(confirmed.stream().map(ConfirmedAnchor::nonce).distinct().count())
              .isEqualTo(4);
        }
      }
      assertEachLandedOnce(chain, device, 10, 20, 30, 40);
    }
  }
}
