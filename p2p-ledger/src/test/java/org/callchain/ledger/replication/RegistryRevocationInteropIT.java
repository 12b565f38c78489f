package org.callchain.ledger.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callchain.ledger.replication.LedgerNode.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.LocalChain;
import org.callchain.chain.RegistryAdmin;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Revocation through the real registry: Anvil with the deployed {@code DeviceRegistry}, each node
 * following it with its own registry client (events, snapshot). Once the registrar revokes a
 * device, the other nodes close its connections as their clients apply the event, refuse its
 * redials, and its later commits never reach their replicas.
 */
class RegistryRevocationInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static org.callchain.chain.DeviceAddress onChain(DeviceAddress d) {
    return new org.callchain.chain.DeviceAddress(d.toBytes());
  }

  @Test
  void aDeviceRevokedOnChainIsDisconnectedRefusedAndNoLongerReplicated() throws Exception {
    LocalChain anvil =
        Chains.startAnvil(Duration.ZERO, ChainConfig.ANVIL_CHAIN_ID, Optional.empty());
    open.add(anvil);
    Credentials registrar = Credentials.create(anvil.devPrivateKeys().get(0));
    Deployment deployment =
        Chains.deploy(
            anvil.rpcUrl(), anvil.chainId(), registrar, List.of(), Duration.ofSeconds(10));
    List<DeviceKey> keys = List.of(TestKeys.ALICE, TestKeys.BOB, TestKeys.CAROL);
    ChainConnection adminConnection =
        Chains.connect(config(anvil, deployment, dir.resolve("admin")));
    open.add(adminConnection);
    RegistryAdmin admin = Chains.registryAdmin(adminConnection, registrar);
    for (DeviceKey k : keys) {
      admin.register(onChain(k.address()), "sip:" + k.address() + "@example.com");
    }

    List<LedgerNode> nodes = new ArrayList<>();
    for (DeviceKey k : keys) {
      Path home = dir.resolve(k.address().toHex());
      ChainConfig config = config(anvil, deployment, home);
      ChainConnection connection = Chains.connect(config);
      open.add(connection);
      DeviceRegistryClient registry = Chains.registry(connection, config);
      open.add(registry);
      await(
          "registry of " + k.address(),
          () -> keys.stream().allMatch(o -> registry.isActive(onChain(o.address()))),
          WAIT);
      LedgerNode node = new LedgerNode(k, registry, home.resolve("ledger"), Duration.ofSeconds(1));
      open.add(node);
      nodes.add(node);
    }
    LedgerNode a = nodes.get(0).start(List.of());
    LedgerNode b = nodes.get(1).start(List.of(a.address()));
    LedgerNode c = nodes.get(2).start(List.of(a.address(), b.address()));
    await("full connectivity", () -> a.peers() == 2 && b.peers() == 2 && c.peers() == 2, WAIT);
    c.commitAndAnnounce(2);
    await("c's commit replicated", () -> a.held(c.device()) == 2 && b.held(c.device()) == 2, WAIT);

    admin.revoke(onChain(c.device()));
    await(
        "c disconnected by a and b",
        () -> a.peers() == 1 && b.peers() == 1 && c.peers() == 0,
        WAIT);
    c.commitAndAnnounce(3);
    // c keeps redialling its bootstrap peers (backoff capped at 500 ms); every dial is refused
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < until) {
      assertThat(c.peers()).isZero();
      Thread.sleep(200);
    }
    assertThat(a.held(c.device())).isEqualTo(2);
    assertThat(b.held(c.device())).isEqualTo(2);
    assertThat(a.net.status().peers()).extracting(PeerStatus::device).containsExactly(b.device());
  }

  private static ChainConfig config(LocalChain anvil, Deployment deployment, Path dataDir) {
    return ChainConfig.defaults(dataDir)
        .withRemote(URI.create(anvil.rpcUrl()), anvil.chainId(), deployment.contracts())
        .withPollInterval(Duration.ofMillis(200));
  }
}
