package org.callchain.net.internal.libp2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.callchain.net.Host;
import org.callchain.net.HostConfig;
import org.callchain.net.Multiaddr;
import org.callchain.net.NodeKey;
import org.junit.jupiter.api.Test;

/** Bootstrap peers are dialled at start and redialled with backoff after they go away. */
class BootstrapReconnectIT {
  private static void await(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void reconnectsToABootstrapPeerThatRestarts() throws Exception {
    NodeKey bootstrapKey = NodeKey.generateSecp256k1();
    Host bootstrap = new Libp2pHost(HostConfig.builder(bootstrapKey).build());
    Host node = null;
    Host restarted = null;
    try {
      bootstrap.start().get(5, TimeUnit.SECONDS);
      Multiaddr address = bootstrap.listenAddresses().get(0);
      node =
          new Libp2pHost(
              HostConfig.builder(NodeKey.generateEd25519())
                  .bootstrapPeers(List.of(address.withPeerId(bootstrap.peerId())))
                  .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                  .build());
      node.start().get(5, TimeUnit.SECONDS);
      Host dialler = node;
      await(() -> dialler.isConnected(bootstrap.peerId()), Duration.ofSeconds(5));

      bootstrap.close();
      await(() -> !dialler.isConnected(bootstrap.peerId()), Duration.ofSeconds(5));
      // Same key, same port: the node's backoff keeps retrying until the peer is back.
      restarted =
          new Libp2pHost(
              HostConfig.builder(bootstrapKey).listenAddresses(List.of(address)).build());
      restarted.start().get(5, TimeUnit.SECONDS);
      await(() -> dialler.isConnected(bootstrap.peerId()), Duration.ofSeconds(10));
      assertThat(node.ping(bootstrap.peerId()).get(5, TimeUnit.SECONDS)).isPositive();
    } finally {
      bootstrap.close();
      if (node != null) {
        node.close();
      }
      if (restarted != null) {
        restarted.close();
      }
    }
  }
}
