package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.LocalChain;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.node.admission.IdentityAdmission;
import org.callchain.node.admission.IdentitySigner;
import org.callchain.node.admission.UnreachablePolicy;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallOptions;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * {@code callchain call --data-dir} signs its INVITE, and {@code callchain phone --rpc --registry
 * --anchor} admits by identity, against a real DeviceRegistry on Anvil.
 */
class AdmissionCliInteropIT {
  private static final Duration T = Duration.ofSeconds(15);
  private static final DeviceKey ALICE = TestKeys.named("admission-cli-alice");

  @TempDir static Path dir;
  private static LocalChain anvil;
  private static Deployment deployment;

  @BeforeAll
  static void chain() throws Exception {
    anvil = Chains.startAnvil(Duration.ZERO, ChainConfig.ANVIL_CHAIN_ID, Optional.empty());
    Credentials registrar = Credentials.create(anvil.devPrivateKeys().get(0));
    deployment =
        Chains.deploy(
            anvil.rpcUrl(), anvil.chainId(), registrar, List.of(), Duration.ofSeconds(10));
    try (ChainConnection c = Chains.connect(config(dir.resolve("admin")))) {
      Chains.registryAdmin(c, registrar)
          .register(new DeviceAddress(ALICE.address().toBytes()), "sip:alice@127.0.0.1");
    }
  }

  @AfterAll
  static void stop() {
    if (anvil != null) {
      anvil.close();
    }
  }

  private static ChainConfig config(Path data) {
    return ChainConfig.defaults(data)
        .withRemote(URI.create(anvil.rpcUrl()), anvil.chainId(), deployment.contracts())
        .withPollInterval(Duration.ofMillis(100));
  }

  private static String[] chainOptions() {
    return new String[] {
      "--rpc", anvil.rpcUrl(),
      "--registry", deployment.contracts().registry().toString(),
      "--anchor", deployment.contracts().anchor().toString()
    };
  }

  @Test
  void anUnregisteredCallerIsToldWhyAndExitsThree() throws Exception {
    Path impostor = dir.resolve("impostor");
    Path password = Files.writeString(dir.resolve("impostor-pw"), "impostor\n");
    CliRun keys =
        CliRun.of(
            "keys",
            "new",
            "--light",
            "--data-dir",
            impostor.toString(),
            "--password-file",
            password.toString());
    assertThat(keys.exitCode()).as(keys.err()).isZero();

    try (ChainConnection c = Chains.connect(config(dir.resolve("bob-chain")));
        DeviceRegistryClient registry = Chains.registry(c, config(dir.resolve("bob-chain")));
        TestPhones phones = new TestPhones()) {
      registry.sync();
      IdentityAdmission admission =
          new IdentityAdmission(
              registry,
              Set.of("sip:bob@127.0.0.1"),
              Clock.systemUTC(),
              UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
              v -> {});
      TestPhone bob = phones.start("bob", b -> b.admissionHook(admission));
      CliRun call =
          CliRun.of(
              "call",
              bob.uri(),
              "--user",
              "alice",
              "--duration",
              "1s",
              "--data-dir",
              impostor.toString(),
              "--password-file",
              password.toString());
      assertThat(call.exitCode())
          .as(call.out() + call.err())
          .isEqualTo(CallCommand.BUSY_OR_REJECTED);
      assertThat(call.out()).contains("outcome REJECTED 403 unregistered device");
      assertThat(call.err()).contains("403 unregistered device");
    }
  }

  @Test
  void thePhoneCommandAdmitsARegisteredDeviceAndRefusesTheRest() throws Exception {
    int port = SipCommandsIT.freePort();
    CompletableFuture<CliRun> phone =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.of(
                    concat(
                        new String[] {
                          "phone",
                          "--sip-port",
                          String.valueOf(port),
                          "--user",
                          "bob",
                          "--auto-answer",
                          "--exit-after",
                          "10s",
                          "--rtp-ports",
                          "36000-36999"
                        },
                        chainOptions())));
    try (TestPhones phones = new TestPhones()) {
      TestPhone alice =
          phones.start(
              "alice", b -> b.outgoingRequestHook(new IdentitySigner(ALICE, Clock.systemUTC())));
      TestPhone mallory =
          phones.start(
              "mallory",
              b ->
                  b.outgoingRequestHook(
                      new IdentitySigner(
                          TestKeys.named("admission-cli-mallory"), Clock.systemUTC())));
      TestPhone unsigned = phones.start("dave");
      SipCommandsIT.awaitBound(port);
      String target = "sip:bob@127.0.0.1:" + port;

      Call ok = alice.phone().call(target, CallOptions.defaults());
      alice.events().awaitState(ok, org.callchain.phone.CallState.ESTABLISHED, T);
      ok.hangup();
      assertThat(finished(ok).disposition()).isEqualTo(CallDisposition.ANSWERED);

      FinishedCall refused = finished(mallory.phone().call(target, CallOptions.defaults()));
      assertThat(refused.finalSipCode()).isEqualTo(403);
      assertThat(refused.finalReason()).isEqualTo("unregistered device");

      FinishedCall missing = finished(unsigned.phone().call(target, CallOptions.defaults()));
      assertThat(missing.finalSipCode()).isEqualTo(428);
    }
    CliRun r = phone.get(30, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("admission by identity: registry")
        .contains("admission accepted: verified device " + ALICE.address().toHex())
        .contains("admission rejected 403: unregistered device signer=0x")
        .contains("admission rejected 428: Use Identity Header");
  }

  @Test
  void admissionOptionsNeedTheWholeChain() {
    CliRun partial = CliRun.of("phone", "--sip-port", "0", "--rpc", anvil.rpcUrl());
    assertThat(partial.exitCode()).isEqualTo(2);
    assertThat(partial.err()).contains("--registry").contains("--anchor");
    CliRun identity = CliRun.of("phone", "--sip-port", "0", "--identity", "sip:bob@127.0.0.1");
    assertThat(identity.exitCode()).isEqualTo(2);
    assertThat(identity.err()).contains("need --rpc, --registry, --anchor");
  }

  private static FinishedCall finished(Call call) throws Exception {
    return call.finished().get(T.toSeconds(), TimeUnit.SECONDS);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
