package org.callchain.phone.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness itself against the real programs, without Callchain's phone: SIPp against
 * SIPp, SIPp and baresip against each other, SIPp registering at Kamailio. When a phone interop
 * test fails, these tell whether the peer setup or our user agent is at fault.
 */
class PeerFixturesInteropIT {

  @Test
  void builtInUacCompletesEveryCallAgainstBuiltInUas() throws Exception {
    try (Sipp.Running uas = Sipp.builtIn("uas").calls(5).start()) {
      SippResult uac = Sipp.builtIn("uac").target(uas.address()).calls(5).rate(10, 1000).run();
      assertThat(uac.allSuccessful(5)).as(uac.describe()).isTrue();
      assertThat(uas.awaitResult().successful()).isEqualTo(5);
    }
  }

  @Test
  void callerByeScenarioFollowsTheContactOfTheAnswer() throws Exception {
    try (Sipp.Running uas = Sipp.builtIn("uas").calls(3).start()) {
      SippResult uac =
          Sipp.scenario("sipp/uac-caller-bye.xml").target(uas.address()).calls(3).run();
      assertThat(uac.allSuccessful(3)).as(uac.describe()).isTrue();
    }
  }

  @Test
  void baresipAutoAnswersSippAndSippHangsUp() throws Exception {
    try (Baresip baresip = Baresip.start()) {
      SippResult uac =
          Sipp.builtIn("uac")
              .target("127.0.0.1:" + baresip.sipPort())
              .service("baresip")
              .calls(2)
              .run();
      assertThat(uac.allSuccessful(2)).as(uac.describe() + "\n" + baresip.outputTail()).isTrue();
      baresip.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(5));
      baresip.awaitEvent("CALL_CLOSED", Duration.ofSeconds(5));
    }
  }

  @Test
  void baresipCallsSippWhichAnswersThenHangsUp() throws Exception {
    try (Baresip baresip = Baresip.start();
        Sipp.Running uas = Sipp.scenario("sipp/uas-answer-then-bye.xml").calls(1).start()) {
      baresip.dial("sip:sipp@" + uas.address());
      baresip.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(10));
      BaresipControl.Event closed = baresip.awaitEvent("CALL_CLOSED", Duration.ofSeconds(10));
      assertThat(closed.direction()).isEqualTo("outgoing");
      SippResult result = uas.awaitResult();
      assertThat(result.allSuccessful(1)).as(result.describe()).isTrue();
    }
  }

  @Test
  void cancelScenarioCancelsARingingBaresip() throws Exception {
    try (Baresip baresip = Baresip.startWithoutAnswering()) {
      SippResult uac =
          Sipp.scenario("sipp/uac-cancel-after-180.xml")
              .target("127.0.0.1:" + baresip.sipPort())
              .service("baresip")
              .calls(1)
              .run();
      assertThat(uac.allSuccessful(1)).as(uac.describe() + "\n" + baresip.outputTail()).isTrue();
    }
  }

  @Test
  void kamailioChallengesRegistrationsAndForgetsThemOnRestart() throws Exception {
    try (Kamailio kamailio = Kamailio.start(Map.of("alice", "alice-secret"))) {
      int contactPort = FreePorts.udpAndTcp();
      SippResult wrong = register(kamailio, contactPort, "alice", "not-the-password", 300);
      assertThat(wrong.successful()).as(wrong.describe()).isZero();

      SippResult right = register(kamailio, contactPort, "alice", "alice-secret", 300);
      assertThat(right.allSuccessful(1)).as(right.describe() + kamailio.logTail()).isTrue();
      assertThat(kamailio.contacts("alice")).hasSize(1);

      kamailio.restart();
      assertThat(kamailio.contacts("alice")).isEmpty();

      assertThat(register(kamailio, contactPort, "alice", "alice-secret", 300).allSuccessful(1))
          .isTrue();
      SippResult removal = register(kamailio, contactPort, "alice", "alice-secret", 0);
      assertThat(removal.allSuccessful(1)).as(removal.describe()).isTrue();
      assertThat(kamailio.contacts("alice")).isEmpty();
      List<Kamailio.TracedRequest> traced = kamailio.tracedRequests();
      assertThat(traced).extracting(Kamailio.TracedRequest::method).contains("REGISTER");
    }
  }

  /** REGISTERs {@code sip:user@127.0.0.1:contactPort} (expires 0: removes that binding). */
  static SippResult register(
      Kamailio kamailio, int contactPort, String user, String password, int expires)
      throws InterruptedException {
    return Sipp.scenario("sipp/register-digest.xml")
        .localPort(contactPort)
        .target("127.0.0.1:" + kamailio.port())
        .service(user)
        .auth(user, password)
        .key("expires", Integer.toString(expires))
        .calls(1)
        .timeout(Duration.ofSeconds(10))
        .run();
  }
}
