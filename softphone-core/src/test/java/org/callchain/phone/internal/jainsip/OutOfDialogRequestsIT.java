package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.callchain.phone.interop.RawSipClient;
import org.callchain.phone.interop.RawSipResponse;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests outside any call, sent as raw text so the phone's answers are checked on the wire:
 * OPTIONS (RFC 3261 §11.2), rport (RFC 3581 §4), 405 (§8.2.1), 420 (§8.2.2.3), 481 (§12.2.2).
 */
class OutOfDialogRequestsIT {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static TestPhones phones;
  private static TestPhone bob;

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    bob = phones.start("bob");
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static RawSipResponse send(String method, int localPort, String viaPort, String extra)
      throws Exception {
    String request =
        method
            + " sip:bob@127.0.0.1:"
            + bob.phone().sipPort()
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + viaPort
            + ";branch=z9hG4bK-"
            + System.nanoTime()
            + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=probe1\r\n"
            + "To: <sip:bob@127.0.0.1>\r\n"
            + "Call-ID: probe-"
            + System.nanoTime()
            + "@127.0.0.1\r\n"
            + "CSeq: 1 "
            + method
            + "\r\n"
            + extra
            + "Content-Length: 0\r\n\r\n";
    return RawSipClient.udp(
            bob.phone().sipPort(), localPort, request.getBytes(StandardCharsets.US_ASCII), WAIT)
        .orElseThrow(() -> new AssertionError("no response to " + method));
  }

  @Test
  void answersOptionsWithCapabilities() throws Exception {
    int port = freeUdpPort();
    RawSipResponse r = send("OPTIONS", port, String.valueOf(port), "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Allow").orElseThrow())
        .contains("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REFER", "NOTIFY");
    assertThat(r.header("Accept").orElseThrow()).contains("application/sdp");
    assertThat(r.text()).containsIgnoringCase("\r\nSupported:");
    assertThat(r.header("Server")).contains("Callchain/0.1");
  }

  @Test
  void answersToTheSourcePortWhenViaAsksForRport() throws Exception {
    int port = freeUdpPort();
    // The Via names a port nobody listens on; RFC 3581 §4 sends the response to the source port.
    RawSipResponse r = send("OPTIONS", port, "9", "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Via").orElseThrow()).contains("rport=" + port).contains("received=");
  }

  @Test
  void rejectsUnknownMethodWith405AndAllow() throws Exception {
    int port = freeUdpPort();
    RawSipResponse r = send("PUBLISH", port, String.valueOf(port), "");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isPresent();
  }

  @Test
  void rejectsRequiredExtensionWith420() throws Exception {
    int port = freeUdpPort();
    RawSipResponse r = send("OPTIONS", port, String.valueOf(port), "Require: 100rel\r\n");
    assertThat(r.status()).isEqualTo(420);
    assertThat(r.header("Unsupported")).contains("100rel");
  }

  @Test
  void answersByeForAnUnknownCallWith481() throws Exception {
    int port = freeUdpPort();
    RawSipResponse r = send("BYE", port, String.valueOf(port), "");
    assertThat(r.status()).isEqualTo(481);
  }
}
