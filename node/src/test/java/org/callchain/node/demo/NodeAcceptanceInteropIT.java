package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.OnChainAnchor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claims of {@code callchain demo}, one test each, over real processes: Anvil, three {@code
 * callchain node} JVMs and the standalone impostor, on loopback. The tests run in the demo's order
 * on one network (the last two stop the nodes and alter their disks).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAcceptanceInteropIT {
  @TempDir static Path dir;
  private DemoNetwork network;
  private DemoScenario scenario;
  private DemoEvidence evidence;
  private List<DemoDevice> phones;
  private List<DemoScenario.PlacedCall> calls;

  @BeforeAll
  void startNetwork() throws Exception {
    network =
        DemoNetwork.start(
            dir.resolve("net"), NodeDemo.BLOCK_TIME, NodeDemo.NODE_OPTIONS, NodeDemo.CHAIN_KEYS);
    scenario = new DemoScenario(network, System.out::println);
    evidence = new DemoEvidence(network, scenario);
    scenario.createDevices(List.of("alice", "bob", "carol"), "mallory");
    phones = scenario.phones();
  }

  @AfterAll
  void stopNetwork() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  void registryListsTheThreePhonesAndNotTheImpostor() throws Exception {
    List<DeviceRecord> listed = scenario.registerPhones();

    assertThat(listed).hasSize(3);
    assertThat(listed)
        .extracting(DeviceRecord::sipIdentity)
        .containsExactlyElementsOf(phones.stream().map(DemoDevice::sipUri).toList());
    assertThat(listed)
        .extracting(r -> r.address().hex())
        .doesNotContain(scenario.impostor().address());
  }

  @Test
  @Order(2)
  void threeNodeProcessesStartAndConnectToEachOther() throws Exception {
    scenario.startNodes();

    for (DemoDevice d : phones) {
      assertThat(network.node(d).alive()).isTrue();
      ControlStatus s = network.control(d).status();
      assertThat(s.device()).isEqualTo(d.address());
      assertThat(s.connectedPeers()).isEqualTo(2);
    }
  }

  @Test
  @Order(3)
  void callsBetweenNodesAreAnsweredSignedAndRecorded() throws Exception {
    calls = scenario.placeCalls();

    assertThat(calls).hasSize(3).allMatch(c -> c.sipCode() == 200);
    assertThat(calls).extracting(DemoScenario.PlacedCall::callId).doesNotHaveDuplicates();
    for (DemoDevice d : phones) {
      List<Path> wavs = DemoScenario.recordings(d);
      assertThat(wavs).as(d.name() + " made and answered one call each").hasSize(2);
      for (Path w : wavs) {
        assertThat(Files.size(w)).as(w.toString()).isGreaterThan(44 + 8000);
      }
      assertThat(network.control(d).status().logSize()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  @Order(4)
  void theImpostorIsRefusedWith403UnregisteredDevice() throws Exception {
    DemoDevice bob = phones.get(1);
    List<Path> before = DemoScenario.recordings(bob);

    CommandResult r = scenario.impostorCalls(bob, phones.get(0));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.linesWith("403")).anyMatch(l -> l.toLowerCase().contains("unregistered"));
    assertThat(DemoScenario.recordings(bob)).as("refused before any media").isEqualTo(before);
  }

  @Test
  @Order(5)
  void everyRecordIsReplicatedOnEveryNode() throws Exception {
    scenario.awaitReplicated();

    for (DemoDevice owner : phones) {
      ControlStatus own = network.control(owner).status();
      for (DemoDevice holder : phones) {
        if (holder != owner) {
          assertThat(
                  network
                      .control(holder)
                      .status()
                      .holds(owner.address(), own.logSize(), own.logRoot()))
              .as(holder.name() + " holds " + owner.name() + "'s log")
              .isTrue();
        }
      }
    }
  }

  @Test
  @Order(6)
  void everyLogIsAnchoredOnChain() throws Exception {
    Map<String, OnChainAnchor> anchors = scenario.awaitAnchored();

    assertThat(anchors).hasSize(3);
    for (DemoDevice d : phones) {
      ControlStatus s = network.control(d).status();
      OnChainAnchor a = anchors.get(d.name());
      assertThat(a.checkpoint().treeSize()).isEqualTo(s.logSize());
      assertThat(DemoScenario.sameHex(a.checkpoint().root().hex(), s.logRoot())).isTrue();
    }
  }

  @Test
  @Order(7)
  void aProofBundleExportedFromAReplicaVerifiesOffline() throws Exception {
    evidence.stopNodes();

    CommandResult verify = evidence.exportAndVerify(calls.get(0), phones.get(1));

    assertThat(verify.exitCode()).isZero();
    assertThat(verify.stdout()).startsWith("OK: call " + calls.get(0).callId());
  }

  @Test
  @Order(8)
  void theAuditNamesTheAlteredRecordingAndTheAlteredRecord() throws Exception {
    DemoDevice bob = phones.get(1);
    String wav = DemoScenario.recordings(bob).get(0).getFileName().toString();

    List<String> problems = evidence.tamperAndAudit(bob, phones.get(0), calls.get(0));

    assertThat(problems).anyMatch(p -> p.contains(wav));
    assertThat(problems).anyMatch(p -> p.contains("leaf " + calls.get(0).leaf()));
  }
}
