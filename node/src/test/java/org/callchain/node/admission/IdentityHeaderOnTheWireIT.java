package org.callchain.node.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callchain.chain.DeviceStatus;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.testing.TestKeys;
import org.callchain.phone.CallOptions;
import org.callchain.phone.spi.AdmissionVerdict;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.spi.IncomingInvite;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.Test;

/**
 * The Identity header as JAIN-SIP puts it on the wire: read by a raw UDP socket, it is the exact
 * text the signer produced, in one header line, and a verifier that sees only those bytes admits
 * it.
 */
class IdentityHeaderOnTheWireIT {
  private static final DeviceKey ALICE = TestKeys.named("wire-alice");

  @Test
  void theHeaderLeavesTheStackUnchangedAndVerifiesFromTheRawBytes() throws Exception {
    List<String> signed = new CopyOnWriteArrayList<>();
    IdentitySigner signer = new IdentitySigner(ALICE, Clock.systemUTC());
    try (DatagramSocket peer =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TestPhones phones = new TestPhones()) {
      peer.setSoTimeout(10_000);
      TestPhone alice =
          phones.start(
              "alice",
              b ->
                  b.outgoingRequestHook(
                      invite -> {
                        List<HeaderField> h = signer.headersFor(invite);
                        h.forEach(f -> signed.add(f.value()));
                        return h;
                      }));
      alice.phone().call("sip:bob@127.0.0.1:" + peer.getLocalPort(), CallOptions.defaults());
      byte[] buf = new byte[65_535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      peer.receive(p);
      String invite = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
      assertThat(invite).startsWith("INVITE sip:bob@127.0.0.1:" + peer.getLocalPort());

      List<String> identityLines =
          invite.lines().filter(l -> l.regionMatches(true, 0, "Identity:", 0, 9)).toList();
      assertThat(identityLines).hasSize(1);
      String onTheWire = identityLines.get(0).substring("Identity:".length()).strip();
      assertThat(signed).singleElement().isEqualTo(onTheWire);

      InMemoryRegistry registry = new InMemoryRegistry();
      registry.put(ALICE.address(), DeviceStatus.ACTIVE, "sip:alice@127.0.0.1");
      IdentityAdmission admission =
          new IdentityAdmission(
              registry,
              Set.of("sip:bob@127.0.0.1"),
              Clock.systemUTC(),
              UnreachablePolicy.DECIDE_FROM_SNAPSHOT,
              v -> {});
      String from = uriIn(header(invite, "From"));
      AdmissionVerdict v =
          admission.admit(
              new IncomingInvite(
                  header(invite, "Call-ID"),
                  "sip:bob@127.0.0.1:" + peer.getLocalPort(),
                  from,
                  Optional.empty(),
                  uriIn(header(invite, "To")),
                  "127.0.0.1:0",
                  "udp",
                  Map.of("identity", List.of(onTheWire))));
      assertThat(v.accepted()).as(v.text()).isTrue();
      assertThat(v.signer()).contains(ALICE.address().toHex());
    }
  }

  private static String header(String message, String name) {
    return message
        .lines()
        .filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
        .findFirst()
        .map(l -> l.substring(name.length() + 1).strip())
        .orElseThrow(() -> new AssertionError("no " + name + " in " + message));
  }

  private static String uriIn(String nameAddr) {
    int lt = nameAddr.indexOf('<');
    return lt >= 0 ? nameAddr.substring(lt + 1, nameAddr.indexOf('>', lt)) : nameAddr;
  }
}
