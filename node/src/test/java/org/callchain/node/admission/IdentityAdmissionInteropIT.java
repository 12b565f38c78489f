package org.callchain.node.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.Chains;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.LocalChain;
import org.callchain.chain.RegistryAdmin;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.node.CallRecords;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Admission by identity end to end: real phones (JAIN-SIP over loopback UDP) sign and verify
 * Identity headers, and the callee decides from a real DeviceRegistry on Anvil that its registry
 * client follows.
 */
class IdentityAdmissionInteropIT {
  private static final Duration T = Duration.ofSeconds(15);
  private static final DeviceKey ALICE = TestKeys.named("admission-it-alice");
  private static final DeviceKey CAROL = TestKeys.named("admission-it-carol");
  private static final DeviceKey MALLORY = TestKeys.named("admission-it-mallory");
  private static final DeviceKey BOB = TestKeys.named("admission-it-bob");

  @TempDir static Path data;
  private static LocalChain anvil;
  private static ChainConnection connection;
  private static DeviceRegistryClient registry;
  private static RegistryAdmin admin;
  private static TestPhones phones;
  private static TestPhone bob;
  private static final List<IdentityVerdict> verdicts = new CopyOnWriteArrayList<>();
  private static final List<String> receivedIdentity = new CopyOnWriteArrayList<>();
  private static final List<FinishedCall> bobCalls = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    anvil = Chains.startAnvil(Duration.ZERO, ChainConfig.ANVIL_CHAIN_ID, Optional.empty());
    Credentials registrar = Credentials.create(anvil.devPrivateKeys().get(0));
    Deployment d =
        Chains.deploy(
            anvil.rpcUrl(), anvil.chainId(), registrar, List.of(), Duration.ofSeconds(10));
    ChainConfig config =
        ChainConfig.defaults(data)
            .withRemote(URI.create(anvil.rpcUrl()), anvil.chainId(), d.contracts())
            .withPollInterval(Duration.ofMillis(100));
    connection = Chains.connect(config);
    admin = Chains.registryAdmin(connection, registrar);
    admin.register(chainAddress(ALICE), "sip:alice@127.0.0.1");
    admin.register(chainAddress(CAROL), "sip:carol@127.0.0.1");
    registry = Chains.registry(connection, config);
    registry.sync();

    IdentityAdmission admission =
        new IdentityAdmission(
            registry,
            Set.of("sip:bob@127.0.0.1"),
            Clock.systemUTC(),
            UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
            verdicts::add);
    phones = new TestPhones();
    bob =
        phones.start(
            "bob",
            b ->
                b.finishedCallSink(bobCalls::add)
                    .admissionHook(
                        invite -> {
                          invite.header("Identity").ifPresent(receivedIdentity::add);
                          return admission.admit(invite);
                        }));
  }

  @AfterAll
  static void stop() {
    if (phones != null) {
      phones.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (connection != null) {
      connection.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  @BeforeEach
  void clear() {
    bob.events().clear();
  }

  private static DeviceAddress chainAddress(DeviceKey key) {
    return new DeviceAddress(key.address().toBytes());
  }

  /** A caller phone that signs with {@code key} (or sends no Identity when key is null). */
  private static TestPhone caller(String user, DeviceKey key, List<String> sent) throws Exception {
    return phones.start(
        user,
        b -> {
          if (key != null) {
            IdentitySigner signer = new IdentitySigner(key, Clock.systemUTC());
            b.outgoingRequestHook(
                invite -> {
                  List<HeaderField> h = signer.headersFor(invite);
                  h.forEach(f -> sent.add(f.value()));
                  return h;
                });
          }
        });
  }

  private static FinishedCall refused(TestPhone from) throws Exception {
    Call out = from.phone().call(bob.uri(), CallOptions.defaults());
    FinishedCall f = out.finished().get(T.toSeconds(), TimeUnit.SECONDS);
    assertThat(f.disposition()).isEqualTo(CallDisposition.REJECTED);
    return f;
  }

  private static CallRecord bobsRecordOf(String callId) throws Exception {
    long deadline = System.nanoTime() + T.toNanos();
    while (System.nanoTime() < deadline) {
      for (FinishedCall c : bobCalls) {
        if (c.callId().equals(callId)) {
          return CallRecords.from(c, BOB.address(), "");
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("bob finished no call " + callId);
  }

  @Test
  void aRegisteredDeviceIsAcceptedAndTheHeaderArrivesAsSent() throws Exception {
    List<String> sent = new CopyOnWriteArrayList<>();
    TestPhone alice = caller("alice", ALICE, sent);
    Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
    CallEvent.Admitted admitted = bob.events().await(CallEvent.Admitted.class, T);
    assertThat(admitted.verdict().accepted()).isTrue();
    assertThat(admitted.verdict().reason()).isEqualTo("verified device " + ALICE.address().toHex());
    Call in = bob.events().awaitIncoming(T);
    in.answer();
    alice.events().awaitState(out, CallState.ESTABLISHED, T);
    out.hangup();
    assertThat(out.finished().get(T.toSeconds(), TimeUnit.SECONDS).disposition())
        .isEqualTo(CallDisposition.ANSWERED);

    // The Identity header went through both JAIN-SIP stacks byte for byte.
    assertThat(sent).hasSize(1);
    assertThat(receivedIdentity).contains(sent.get(0));

    CallRecord r = bobsRecordOf(out.id());
    assertThat(r.admission().outcome()).isEqualTo(AdmissionOutcome.ACCEPTED);
    assertThat(r.caller().device()).isEqualTo(ALICE.address());
  }

  @Test
  void anUnregisteredDeviceIsRefusedWith403() throws Exception {
    TestPhone mallory = caller("mallory", MALLORY, new CopyOnWriteArrayList<>());
    FinishedCall f = refused(mallory);
    assertThat(f.finalSipCode()).isEqualTo(403);
    assertThat(f.finalReason()).isEqualTo("unregistered device");
    assertThat(bob.events().events()).noneMatch(e -> e instanceof CallEvent.Incoming);

    CallRecord r = bobsRecordOf(f.callId());
    assertThat(r.admission().outcome()).isEqualTo(AdmissionOutcome.REJECTED_UNREGISTERED);
    assertThat(r.admission().signer()).contains(MALLORY.address());
    assertThat(r.sipCode()).isEqualTo(403);
  }

  @Test
  void aDeviceRevokedAfterRegistrationIsRefusedWith403() throws Exception {
    TestPhone carol = caller("carol", CAROL, new CopyOnWriteArrayList<>());
    Call first = carol.phone().call(bob.uri(), CallOptions.defaults());
    bob.events().awaitIncoming(T).reject(486);
    assertThat(first.finished().get(T.toSeconds(), TimeUnit.SECONDS).finalSipCode()).isEqualTo(486);

    admin.revoke(chainAddress(CAROL));
    long deadline = System.nanoTime() + T.toNanos();
    while (registry
        .lookup(chainAddress(CAROL))
        .map(r -> r.status() != DeviceStatus.REVOKED)
        .orElse(true)) {
      assertThat(System.nanoTime()).as("registry saw the revocation").isLessThan(deadline);
      Thread.sleep(50);
    }
    FinishedCall f = refused(carol);
    assertThat(f.finalSipCode()).isEqualTo(403);
    assertThat(f.finalReason()).isEqualTo("revoked device");
    assertThat(bobsRecordOf(f.callId()).admission().outcome())
        .isEqualTo(AdmissionOutcome.REJECTED_REVOKED);
  }

  @Test
  void aCallWithoutIdentityHeaderIsRefusedWith428() throws Exception {
    TestPhone dave = caller("dave", null, List.of());
    FinishedCall f = refused(dave);
    assertThat(f.finalSipCode()).isEqualTo(428);
    assertThat(f.finalReason()).isEqualTo("Use Identity Header");
    assertThat(verdicts)
        .anySatisfy(
            v -> {
              assertThat(v.callId()).isEqualTo(f.callId());
              assertThat(v.outcome()).isEqualTo(AdmissionOutcome.REJECTED_NO_IDENTITY);
            });
  }
}
