package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.RegistryFreshness;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.node.admission.IdentityAdmission;
import org.callchain.node.admission.UnreachablePolicy;
import org.callchain.phone.spi.AdmissionVerdict;
import org.callchain.phone.spi.IncomingInvite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The injection file's headers, as SIPp sends them back, pass the node's admission. */
class SippIdentityFileTest {
  private static final DeviceKey CALLER = TestKeys.ALICE;
  private static final String ORIG = "sip:sipp@127.0.0.1:5062";
  private static final String DEST = "sip:bob@127.0.0.1:5072";
  private static final Instant FIRST = Instant.parse("2026-12-01T12:00:00Z");
  private static final double RATE = 2;

  @TempDir Path dir;

  private Instant now = FIRST;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final IdentityAdmission admission =
      new IdentityAdmission(
          new OneDeviceRegistry(CALLER, "sip:sipp@127.0.0.1"),
          Set.of(DEST),
          clock,
          UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
          verdict -> {});

  private List<String> written(int calls) throws Exception {
    Path file = dir.resolve("calls.csv");
    SippIdentityFile.write(file, CALLER, ORIG, DEST, "run7", "127.0.0.1", calls, FIRST, RATE);
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    assertThat(lines.get(0)).isEqualTo("SEQUENTIAL");
    assertThat(lines).hasSize(calls + 1);
    return lines.subList(1, lines.size());
  }

  private static IncomingInvite invite(String callId, String identity) {
    return new IncomingInvite(
        callId,
        DEST,
        ORIG,
        Optional.of("sipp"),
        DEST,
        "127.0.0.1:5062",
        "udp",
        Map.of("identity", List.of(identity)));
  }

  @Test
  void everyLineIsAdmittedForTheCallIdSippGivesItsCallNumber() throws Exception {
    List<String> lines = written(200);
    Set<String> identities = new HashSet<>();
    for (int n = 1; n <= lines.size(); n++) {
      String line = lines.get(n - 1);
      assertThat(line.split(";", -1)).hasSize(SippIdentityFile.FIELDS);
      String callId = SippIdentityFile.callIdOf(line);
      assertThat(callId)
          .isEqualTo("run7-" + n + "@127.0.0.1")
          .isEqualTo(
              SippIdentityFile.cidStr("run7", "127.0.0.1").replace("%u", Integer.toString(n)));
      // The call is sent at its planned second: a 100 s run at 2 calls/s stays fresh throughout.
      now = FIRST.plusMillis((long) ((n - 1) * 1000 / RATE));
      AdmissionVerdict v = admission.admit(invite(callId, SippIdentityFile.identityOf(line)));
      assertThat(v.accepted()).as("line %d: %s", n, v.reason()).isTrue();
      identities.add(SippIdentityFile.identityOf(line));
    }
    assertThat(identities).hasSize(lines.size());
  }

  @Test
  void aLineIsBoundToItsOwnCallId() throws Exception {
    List<String> lines = written(2);
    AdmissionVerdict v =
        admission.admit(
            invite(
                SippIdentityFile.callIdOf(lines.get(0)),
                SippIdentityFile.identityOf(lines.get(1))));
    assertThat(v.accepted()).isFalse();
    assertThat(v.sipCode()).isEqualTo(438);
  }

  @Test
  void aLineSentAgainIsAReplay() throws Exception {
    String line = written(1).get(0);
    IncomingInvite invite =
        invite(SippIdentityFile.callIdOf(line), SippIdentityFile.identityOf(line));
    assertThat(admission.admit(invite).accepted()).isTrue();
    AdmissionVerdict again = admission.admit(invite);
    assertThat(again.sipCode()).isEqualTo(403);
    assertThat(again.reason()).isEqualTo("replayed");
  }

  /** Test double: a registry holding one active device. */
  private record OneDeviceRegistry(DeviceKey key, String sipIdentity)
      implements DeviceRegistryClient {
    @Override
    public Optional<DeviceRecord> lookup(DeviceAddress device) {
      DeviceAddress a = new DeviceAddress(key.address().toBytes());
      return device.equals(a)
          ? Optional.of(
              new DeviceRecord(a, DeviceStatus.ACTIVE, sipIdentity, 1, 1, Optional.empty()))
          : Optional.empty();
    }

    @Override
    public List<DeviceRecord> devices() {
      return lookup(new DeviceAddress(key.address().toBytes())).stream().toList();
    }

    @Override
    public RegistryFreshness freshness() {
      return new RegistryFreshness(1, Optional.of(Instant.EPOCH), false, Optional.empty());
    }

    @Override
    public void sync() {}

    @Override
    public void addListener(RegistryListener listener) {}

    @Override
    public void close() {}
  }
}
