package org.callchain.node.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.RegistryFreshness;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.passport.PassportClaims;
import org.callchain.identity.passport.Passports;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.phone.spi.AdmissionVerdict;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.spi.IncomingInvite;
import org.callchain.phone.spi.OutgoingInvite;
import org.junit.jupiter.api.Test;

/** One test per check of {@link IdentityAdmission}, against an in-memory registry. */
class IdentityAdmissionTest {
  private static final String ALICE = "sip:alice@127.0.0.1:5071";
  private static final String BOB = "sip:bob@127.0.0.1:5072";
  private static final DeviceKey ALICE_KEY = TestKeys.ALICE;
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final InMemoryRegistry registry = new InMemoryRegistry();
  private final List<IdentityVerdict> heard = new ArrayList<>();
  private final IdentitySigner signer = new IdentitySigner(ALICE_KEY, clock);
  private IdentityAdmission admission =
      new IdentityAdmission(
          registry,
          Set.of("sip:bob@127.0.0.1"),
          clock,
          UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
          heard::add);

  IdentityAdmissionTest() {
    registry.put(ALICE_KEY.address(), DeviceStatus.ACTIVE, "sip:alice@127.0.0.1");
  }

  private static IncomingInvite invite(String callId, String from, String to, String identity) {
    Map<String, List<String>> headers = new HashMap<>();
    if (identity != null) {
      headers.put("identity", List.of(identity));
    }
    return new IncomingInvite(
        callId, to, from, Optional.empty(), to, "127.0.0.1:5071", "udp", headers);
  }

  private String signed(String callId, String from, String to) {
    List<HeaderField> h = signer.headersFor(new OutgoingInvite(callId, from, to, to));
    assertThat(h).hasSize(1);
    assertThat(h.get(0).name()).isEqualTo("Identity");
    return h.get(0).value();
  }

  private AdmissionVerdict admit(String callId, String identity) {
    return admission.admit(invite(callId, ALICE, BOB, identity));
  }

  private static void assertRejected(AdmissionVerdict v, int code, String reason, String outcome) {
    assertThat(v.accepted()).isFalse();
    assertThat(v.sipCode()).isEqualTo(code);
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(v.outcome()).isEqualTo(outcome);
  }

  @Test
  void acceptsAValidCallFromAnActiveDeviceBoundToTheCaller() {
    AdmissionVerdict v = admit("c1@h", signed("c1@h", ALICE, BOB));
    assertThat(v.accepted()).isTrue();
    assertThat(v.reason()).isEqualTo("verified device " + ALICE_KEY.address().toHex());
    assertThat(v.outcome()).isEqualTo("ACCEPTED");
    assertThat(v.signer()).contains(ALICE_KEY.address().toHex());
    assertThat(heard)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.outcome()).isEqualTo(AdmissionOutcome.ACCEPTED);
              assertThat(h.device()).contains(ALICE_KEY.address());
              assertThat(h.callId()).isEqualTo("c1@h");
            });
  }

  @Test
  void rejectsAMissingIdentityHeaderWith428() {
    assertRejected(admit("c1@h", null), 428, "Use Identity Header", "REJECTED_NO_IDENTITY");
    assertThat(heard.get(0).device()).isEmpty();
  }

  @Test
  void rejectsAMutatedClaimWith438() {
    String header = signed("c1@h", ALICE, BOB);
    String token = header.substring(0, header.indexOf(';'));
    String[] parts = token.split("\\.");
    String claims = new String(B64.decode(parts[1]), StandardCharsets.UTF_8);
    String later = claims.replaceFirst("\"iat\":(\\d+)", "\"iat\":$1" + "0");
    String forged =
        parts[0]
            + "."
            + B64E.encodeToString(later.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2]
            + header.substring(header.indexOf(';'));
    assertRejected(
        admit("c1@h", forged), 438, "Invalid Identity Header", "REJECTED_INVALID_IDENTITY");
    assertThat(heard.get(0).detail()).contains("signature does not verify");
  }

  @Test
  void rejectsASignatureByAnotherKeyWith438() {
    // Mallory signs a token that names Alice's key as kid.
    String aliceHeader = signed("c1@h", ALICE, BOB);
    String aliceToken = aliceHeader.substring(0, aliceHeader.indexOf(';'));
    String mallory =
        Passports.sign(
                TestKeys.MALLORY,
                new PassportClaims(
                    ALICE,
                    List.of(BOB),
                    clock.instant().getEpochSecond(),
                    CallIdBinding.origidFor("c1@h")))
            .token();
    String spliced =
        aliceToken.substring(0, aliceToken.lastIndexOf('.'))
            + mallory.substring(mallory.lastIndexOf('.'))
            + aliceHeader.substring(aliceHeader.indexOf(';'));
    assertRejected(
        admit("c1@h", spliced), 438, "Invalid Identity Header", "REJECTED_INVALID_IDENTITY");
  }

  @Test
  void rejectsGarbageWith438() {
    assertRejected(
        admit("c1@h", "not a token"), 438, "Invalid Identity Header", "REJECTED_INVALID_IDENTITY");
    String header = signed("c1@h", ALICE, BOB);
    String noInfo = header.substring(0, header.indexOf(';'));
    assertRejected(
        admit("c1@h", noInfo), 438, "Invalid Identity Header", "REJECTED_INVALID_IDENTITY");
    String otherInfo = header.replace("ethereum:0x", "ethereum:0x0");
    assertRejected(
        admit("c1@h", otherInfo), 438, "Invalid Identity Header", "REJECTED_INVALID_IDENTITY");
  }

  @Test
  void rejectsATokenMovedToAnotherCallIdWith438() {
    assertRejected(
        admit("other@h", signed("c1@h", ALICE, BOB)),
        438,
        "Invalid Identity Header",
        "REJECTED_INVALID_IDENTITY");
    assertThat(heard.get(0).detail()).contains("origid");
  }

  @Test
  void rejectsAnOrigThatIsNotTheFromWith438() {
    String header = signed("c1@h", "sip:carol@127.0.0.1:5071", BOB);
    assertRejected(
        admit("c1@h", header), 438, "Invalid Identity Header", "REJECTED_INVALID_IDENTITY");
    assertThat(heard.get(0).detail()).contains("orig");
  }

  @Test
  void rejectsAWrongDestinationWith403() {
    String header = signed("c1@h", ALICE, "sip:carol@127.0.0.1:5072");
    assertRejected(
        admission.admit(invite("c1@h", ALICE, BOB, header)),
        403,
        "wrong destination",
        "REJECTED_WRONG_DESTINATION");
    assertThat(heard.get(0).device()).contains(ALICE_KEY.address());
  }

  @Test
  void rejectsAStaleIatWith403BothWays() {
    String header = signed("c1@h", ALICE, BOB);
    clock.advance(Duration.ofSeconds(61));
    assertRejected(admit("c1@h", header), 403, "Stale Date", "REJECTED_STALE");

    clock.advance(Duration.ofSeconds(-61 - 61));
    assertRejected(admit("c1@h", header), 403, "Stale Date", "REJECTED_STALE");

    clock.advance(Duration.ofSeconds(61 + 60)); // 60 s after iat: still fresh
    assertThat(admit("c1@h", header).accepted()).isTrue();
  }

  @Test
  void rejectsAReplayInsideTheWindowWith403() {
    String header = signed("c1@h", ALICE, BOB);
    assertThat(admit("c1@h", header).accepted()).isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertRejected(admit("c1@h", header), 403, "replayed", "REJECTED_REPLAYED");
    // A new token for the same call (a re-signed retry) is not a replay.
    assertThat(admit("c1@h", signed("c1@h", ALICE, BOB)).accepted()).isTrue();
  }

  @Test
  void rejectsAnUnregisteredDeviceWith403() {
    IdentitySigner impostor = new IdentitySigner(TestKeys.MALLORY, clock);
    String header = impostor.headersFor(new OutgoingInvite("c1@h", ALICE, BOB, BOB)).get(0).value();
    AdmissionVerdict v = admit("c1@h", header);
    assertRejected(v, 403, "unregistered device", "REJECTED_UNREGISTERED");
    assertThat(v.signer()).contains(TestKeys.MALLORY.address().toHex());
    // A refused token keeps no place in the replay cache: the same token is refused for what it
    // is, not as a replay.
    assertRejected(admit("c1@h", header), 403, "unregistered device", "REJECTED_UNREGISTERED");
  }

  @Test
  void rejectsARevokedDeviceWith403() {
    registry.put(ALICE_KEY.address(), DeviceStatus.REVOKED, "sip:alice@127.0.0.1");
    assertRejected(
        admit("c1@h", signed("c1@h", ALICE, BOB)), 403, "revoked device", "REJECTED_REVOKED");
    registry.put(ALICE_KEY.address(), DeviceStatus.ROTATED, "sip:alice@127.0.0.1");
    assertRejected(
        admit("c2@h", signed("c2@h", ALICE, BOB)), 403, "revoked device", "REJECTED_REVOKED");
  }

  @Test
  void rejectsADeviceBoundToAnotherIdentityWith403() {
    registry.put(ALICE_KEY.address(), DeviceStatus.ACTIVE, "sip:eve@127.0.0.1");
    assertRejected(
        admit("c1@h", signed("c1@h", ALICE, BOB)),
        403,
        "device not bound to caller",
        "REJECTED_NOT_BOUND");
  }

  @Test
  void defaultPolicyDecidesFromAnOldSnapshotButNeverAcceptsAnUnknownDevice() {
    registry.freshness(
        new RegistryFreshness(
            7,
            Optional.of(clock.instant().minus(Duration.ofDays(2))),
            true,
            Optional.of("chain unreachable")));
    assertThat(admit("c1@h", signed("c1@h", ALICE, BOB)).accepted()).isTrue();
    String impostor =
        new IdentitySigner(TestKeys.MALLORY, clock)
            .headersFor(new OutgoingInvite("c2@h", ALICE, BOB, BOB))
            .get(0)
            .value();
    assertRejected(admit("c2@h", impostor), 403, "unregistered device", "REJECTED_UNREGISTERED");
  }

  @Test
  void refusingPolicyAnswers503WhileTheSnapshotIsTooOld() {
    admission =
        new IdentityAdmission(
            registry,
            Set.of("sip:bob@127.0.0.1"),
            clock,
            UnreachablePolicy.refuseWhenOlderThan(Duration.ofMinutes(5)),
            heard::add);
    registry.freshness(
        new RegistryFreshness(
            7,
            Optional.of(clock.instant().minus(Duration.ofMinutes(6))),
            true,
            Optional.of("chain unreachable")));
    String header = signed("c1@h", ALICE, BOB);
    assertRejected(
        admit("c1@h", header), 503, "registry unavailable", "REJECTED_REGISTRY_UNAVAILABLE");
    assertThat(heard.get(0).detail()).contains("360 s old").contains("chain unreachable");

    // Synced again: the same token (released from the replay cache) is now accepted.
    registry.freshness(
        new RegistryFreshness(8, Optional.of(clock.instant()), false, Optional.empty()));
    assertThat(admit("c1@h", header).accepted()).isTrue();

    registry.freshness(new RegistryFreshness(-1, Optional.empty(), true, Optional.empty()));
    assertRejected(
        admit("c2@h", signed("c2@h", ALICE, BOB)),
        503,
        "registry unavailable",
        "REJECTED_REGISTRY_UNAVAILABLE");
    assertThat(heard.get(heard.size() - 1).detail()).contains("never synced");
  }

  @Test
  void signerWritesAnRfc8224HeaderWithoutPpt() {
    String header = signed("c1@h", ALICE, BOB);
    assertThat(header)
        .matches(
            "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86};info=<ethereum:0x[0-9a-f]{40}>;alg=ES256K")
        .contains(ALICE_KEY.address().toHex())
        .doesNotContain("ppt");
  }

  @Test
  void aListenerThatThrowsDoesNotChangeTheVerdict() {
    IdentityAdmission noisy =
        new IdentityAdmission(
            registry,
            Set.of(BOB),
            clock,
            UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
            v -> {
              throw new IllegalStateException("listener bug");
            });
    assertThat(noisy.admit(invite("c1@h", ALICE, BOB, signed("c1@h", ALICE, BOB))).accepted())
        .isTrue();
  }

  @Test
  void replayCacheHoldsAMinuteOfCallsAtWhatATwoGibHeapPhoneSustains() {
    assertThat(IdentityAdmission.replayCapacity(160L << 20))
        .isEqualTo(IdentityAdmission.MIN_REPLAY_CAPACITY);
    // 262,144 live tokens: 60 s of 4,369 admitted calls/s.
    assertThat(IdentityAdmission.replayCapacity(2L << 30)).isEqualTo(262_144);
  }
}
