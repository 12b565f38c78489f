package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults over real processes (Anvil, three {@code callchain node} JVMs, loopback): a node killed
 * with SIGKILL during calls, a node away for a batch of calls, a device revoked on chain. One
 * network; the revocation runs last because it cannot be undone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeFaultsInteropIT {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private DemoNetwork network;
  private DemoScenario scenario;
  private DemoDevice alice;
  private DemoDevice bob;
  private DemoDevice carol;

  @BeforeAll
  void startNetwork() throws Exception {
    network =
        DemoNetwork.start(
            dir.resolve("net"), NodeDemo.BLOCK_TIME, NodeDemo.NODE_OPTIONS, NodeDemo.CHAIN_KEYS);
    scenario = new DemoScenario(network, System.out::println);
    scenario.createDevices(List.of("alice", "bob", "carol"), "mallory");
    scenario.registerPhones();
    scenario.startNodes();
    alice = scenario.phones().get(0);
    bob = scenario.phones().get(1);
    carol = scenario.phones().get(2);
    scenario.call(carol, alice);
    scenario.awaitReplicated();
  }

  @AfterAll
  void stopNetwork() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  void aNodeKilledDuringCallsLosesNothingAndCatchesUpAfterRestart() throws Exception {
    long carolBefore = network.control(carol).status().logSize();
    CompletableFuture<DemoScenario.PlacedCall> inFlight = callLater(alice, bob);

    int code = network.node(carol).kill();
    scenario.call(bob, alice);
    assertThat(inFlight.get(BOUND.toSeconds(), TimeUnit.SECONDS).answered()).isTrue();
    network.startNodes(List.of(carol));
    scenario.awaitReplicated();

    assertThat(code).as("SIGKILL").isEqualTo(128 + 9);
    assertThat(network.control(carol).status().logSize())
        .as("every record carol had committed survives the kill")
        .isEqualTo(carolBefore);
  }

  @Test
  @Order(2)
  void aNodeAwayForABatchOfCallsConvergesWhenItIsBack() throws Exception {
    long bobBefore = network.control(bob).status().logSize();

    assertThat(network.node(carol).stop()).as("exit status after SIGTERM").isZero();
    for (int i = 0; i < 3; i++) {
      scenario.call(alice, bob);
    }
    scenario.awaitReplicated(List.of(alice, bob));
    network.startNodes(List.of(carol));
    scenario.awaitReplicated();

    ControlStatus bobNow = network.control(bob).status();
    assertThat(bobNow.logSize()).isEqualTo(bobBefore + 3);
    assertThat(
            network
                .control(carol)
                .status()
                .holds(bob.address(), bobNow.logSize(), bobNow.logRoot()))
        .isTrue();
  }

  @Test
  @Order(3)
  void aRevokedDeviceIsRefusedAndItsNextCommitIsRejectedByPeers() throws Exception {
    long replicaBefore = replicaSize(alice, carol);

    network.chain().revoke(carol.address());
    DemoScenario.PlacedCall refused =
        Await.until(
            BOUND,
            "carol's call to alice refused once alice's registry view has the revocation",
            () -> Optional.of(scenario.attemptCall(carol, alice)).filter(c -> c.sipCode() == 403),
            () -> "carol's calls still get through");
    scenario.call(alice, carol);
    long carolNow = network.control(carol).status().logSize();
    scenario.call(bob, alice);
    scenario.awaitReplicated(List.of(alice, bob));

    assertThat(refused.reason().toLowerCase()).contains("revoked");
    assertThat(carolNow)
        .as("carol committed the call alice placed to it")
        .isGreaterThan(replicaBefore);
    assertThat(replicaSize(alice, carol))
        .as("alice took no commit of carol's after the revocation")
        .isLessThan(carolNow);
    assertThat(replicaSize(bob, carol)).as("nor did bob").isLessThan(carolNow);
  }

  private long replicaSize(DemoDevice holder, DemoDevice owner) throws Exception {
    return network
        .control(holder)
        .status()
        .replica(owner.address())
        .map(r -> r.path("size").asLong(-1))
        .orElse(0L);
  }

  private CompletableFuture<DemoScenario.PlacedCall> callLater(DemoDevice from, DemoDevice to) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return scenario.attemptCall(from, to);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
