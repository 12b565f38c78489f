package org.callchain.phone.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callchain.phone.PhoneConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed SIP over raw UDP and TCP sockets (after RFC 4475 and RFC 3261 §7, §8.2, §18.3): each
 * message gets an acceptable error response or is dropped, and the phone keeps working: it answers
 * a well-formed OPTIONS after every one, and takes real calls (from SIPp) at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedSipInteropIT {
  private static final Duration ANSWER_WAIT = Duration.ofMillis(1500);
  private static InteropPhone phone;

  @BeforeAll
  static void startPhone() throws Exception {
    phone = InteropPhone.start(PhoneConfig.builder().user("callchain"), true);
  }

  @AfterAll
  static void stopPhone() {
    if (phone != null) {
      phone.close();
    }
  }

  static List<SipTorture.Case> datagramCases() {
    return SipTorture.datagramCases();
  }

  static List<SipTorture.Case> streamCases() {
    return SipTorture.streamCases();
  }

  private static SipTorture.Target udpTarget() {
    return new SipTorture.Target(phone.sipPort(), FreePorts.udpAndTcp(), "UDP", "callchain");
  }

  @Order(1)
  @ParameterizedTest(name = "UDP {0}")
  @MethodSource("datagramCases")
  void malformedDatagramIsAnsweredOrDropped(SipTorture.Case torture) {
    SipTorture.Target target = udpTarget();
    Optional<RawSipResponse> answer =
        RawSipClient.udp(
            target.phonePort(), target.localPort(), torture.message().apply(target), ANSWER_WAIT);
    assertAcceptable(torture, answer);
    assertStillAnswersOptionsOverUdp();
  }

  @Order(2)
  @ParameterizedTest(name = "TCP {0}")
  @MethodSource("streamCases")
  void malformedStreamMessageIsAnsweredOrDropped(SipTorture.Case torture) {
    try (RawSipClient.Tcp tcp = RawSipClient.tcp(phone.sipPort())) {
      SipTorture.Target target =
          new SipTorture.Target(phone.sipPort(), tcp.localPort(), "TCP", "callchain");
      tcp.send(torture.message().apply(target));
      if (torture.name().startsWith("truncated")) {
        // The rest never comes: end the stream so the phone sees an incomplete message.
        tcp.shutdownOutput();
      }
      assertAcceptable(torture, tcp.awaitResponse(ANSWER_WAIT));
    }
    assertStillAnswersOptionsOverTcp();
  }

  /**
   * RFC 3261 §18.3: on a stream, Content-Length frames the message, so a body that is still missing
   * is waited for (no answer yet) and the request is answered once it is complete.
   */
  @Order(3)
  @Test
  void streamWaitsForTheRestOfABodyThatContentLengthAnnounces() {
    try (RawSipClient.Tcp tcp = RawSipClient.tcp(phone.sipPort())) {
      SipTorture.Target target =
          new SipTorture.Target(phone.sipPort(), tcp.localPort(), "TCP", "callchain");
      String body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
      byte[] whole = SipTorture.withBody(target, "OPTIONS", "application/sdp", body, body.length());
      int cut = whole.length - 10;
      tcp.send(java.util.Arrays.copyOfRange(whole, 0, cut));
      assertThat(tcp.awaitResponse(Duration.ofMillis(700)))
          .as("no answer before the announced body is complete")
          .isEmpty();
      tcp.send(java.util.Arrays.copyOfRange(whole, cut, whole.length));
      Optional<RawSipResponse> answer = tcp.awaitResponse(ANSWER_WAIT);
      assertThat(answer).as("answer once the body is complete").isPresent();
      assertThat(answer.get().status()).isEqualTo(200);
    }
  }

  /** RFC 3261 §18.3: bytes past Content-Length on a stream start the next message. */
  @Order(4)
  @Test
  void twoRequestsInOneTcpSegmentAreBothAnswered() {
    try (RawSipClient.Tcp tcp = RawSipClient.tcp(phone.sipPort())) {
      SipTorture.Target target =
          new SipTorture.Target(phone.sipPort(), tcp.localPort(), "TCP", "callchain");
      byte[] first = SipTorture.options(target);
      byte[] second = SipTorture.options(target);
      byte[] both = new byte[first.length + second.length];
      System.arraycopy(first, 0, both, 0, first.length);
      System.arraycopy(second, 0, both, first.length, second.length);
      tcp.send(both);
      assertThat(tcp.awaitResponse(ANSWER_WAIT))
          .get()
          .extracting(RawSipResponse::status)
          .isEqualTo(200);
      assertThat(tcp.awaitResponse(ANSWER_WAIT))
          .get()
          .extracting(RawSipResponse::status)
          .isEqualTo(200);
    }
  }

  /** After all of the above, real calls over UDP and TCP still complete. */
  @Order(5)
  @Test
  void stillTakesRealCallsAfterTheTorture() throws Exception {
    SippResult udp =
        Sipp.scenario("sipp/uac-caller-bye.xml")
            .target(phone.address())
            .service("callchain")
            .calls(3)
            .run();
    assertThat(udp.allSuccessful(3)).as(udp.describe()).isTrue();
    SippResult tcp =
        Sipp.builtIn("uac").target(phone.address()).service("callchain").tcp().calls(3).run();
    assertThat(tcp.allSuccessful(3)).as(tcp.describe()).isTrue();
  }

  private static void assertAcceptable(SipTorture.Case torture, Optional<RawSipResponse> answer) {
    if (answer.isEmpty()) {
      assertThat(torture.dropAcceptable())
          .as("%s was dropped, but %s", torture.name(), torture.rule())
          .isTrue();
      return;
    }
    assertThat(torture.acceptable())
        .as(
            "%s answered %s; %s\n%s",
            torture.name(), answer.get(), torture.rule(), head(answer.get()))
        .contains(answer.get().status());
  }

  private static String head(RawSipResponse r) {
    String t = r.text();
    return t.substring(0, Math.min(600, t.length()));
  }

  private static void assertStillAnswersOptionsOverUdp() {
    SipTorture.Target target = udpTarget();
    Optional<RawSipResponse> ok =
        RawSipClient.udp(
            target.phonePort(), target.localPort(), SipTorture.options(target), ANSWER_WAIT);
    assertThat(ok).as("OPTIONS over UDP after the malformed message").isPresent();
    assertThat(ok.get().status()).isEqualTo(200);
  }

  private static void assertStillAnswersOptionsOverTcp() {
    try (RawSipClient.Tcp tcp = RawSipClient.tcp(phone.sipPort())) {
      SipTorture.Target target =
          new SipTorture.Target(phone.sipPort(), tcp.localPort(), "TCP", "callchain");
      tcp.send(SipTorture.options(target));
      Optional<RawSipResponse> ok = tcp.awaitResponse(ANSWER_WAIT);
      assertThat(ok)
          .as("OPTIONS over a new TCP connection after the malformed message")
          .isPresent();
      assertThat(ok.get().status()).isEqualTo(200);
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
