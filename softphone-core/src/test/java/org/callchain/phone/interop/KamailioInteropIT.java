package org.callchain.phone.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.DigestCredentials;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.RegistrationAccount;
import org.callchain.phone.RegistrationState;
import org.callchain.phone.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our phone behind Kamailio, a real registrar and record-routing proxy with digest auth (config:
 * {@code src/test/resources/kamailio/registrar-proxy.cfg}).
 */
class KamailioInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Map<String, String> USERS =
      Map.of("alice", "alice-pw-1", "bob", "bob-pw-2", "carol", "carol-pw-3", "dave", "dave-pw-4");
  private static Kamailio kamailio;

  @BeforeAll
  static void startKamailio() throws Exception {
    kamailio = Kamailio.start(USERS);
  }

  @AfterAll
  static void stopKamailio() {
    if (kamailio != null) {
      kamailio.close();
    }
  }

  private static PhoneConfig.Builder account(String user, String password, int expiry) {
    return PhoneConfig.builder()
        .user(user)
        .registration(
            new RegistrationAccount(
                kamailio.uri(),
                kamailio.addressOfRecord(user),
                new DigestCredentials(user, password),
                expiry));
  }

  private static String contactPortOf(InteropPhone p) {
    return ":" + p.sipPort();
  }

  /** RFC 3261 §10.2, §22.2: REGISTER, 401 challenge, REGISTER with credentials, 200. */
  @Test
  void registersWithDigestAuthentication() throws Exception {
    try (InteropPhone alice =
        InteropPhone.start(account("alice", USERS.get("alice"), 300), false)) {
      alice.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      assertThat(kamailio.contacts("alice")).anyMatch(c -> c.contains(contactPortOf(alice)));
    }
  }

  /** A wrong password never registers: the phone reports the failure and holds no binding. */
  @Test
  void wrongPasswordIsReportedAsAFailedRegistration() throws Exception {
    try (InteropPhone dave =
        InteropPhone.start(account("dave", "not-daves-password", 300), false)) {
      dave.awaitRegistrationState(RegistrationState.FAILED, WAIT);
      assertThat(kamailio.contacts("dave")).isEmpty();
    }
  }

  /**
   * RFC 3261 §16.6, §12.1.2, §16.12: a call between two registered phones through the proxy; the
   * proxy record-routes, so the ACK and the BYE (in both directions) must pass through it too.
   */
  @Test
  void callsAnotherRegisteredPhoneThroughTheProxyAndByeFollowsTheRecordRoute() throws Exception {
    try (InteropPhone alice = InteropPhone.start(account("alice", USERS.get("alice"), 300), false);
        InteropPhone bob = InteropPhone.start(account("bob", USERS.get("bob"), 300), true)) {
      alice.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      bob.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      int tracedBefore = kamailio.tracedRequests().size();

      Call first = alice.call(kamailio.addressOfRecord("bob"));
      alice.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == first && e.current() == CallState.ESTABLISHED,
          WAIT);
      bob.awaitCallEvent(
          CallEvent.StateChanged.class, e -> e.current() == CallState.ESTABLISHED, WAIT);
      first.hangup();
      first.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      bob.awaitEndedCalls(1, WAIT);

      // Second call: this time the callee hangs up.
      Call second = alice.call(kamailio.addressOfRecord("bob"));
      alice.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == second && e.current() == CallState.ESTABLISHED,
          WAIT);
      Call bobsLeg =
          bob.awaitCallEvent(
                  CallEvent.StateChanged.class,
                  e -> e.current() == CallState.ESTABLISHED && e.call().id().equals(second.id()),
                  WAIT)
              .call();
      bobsLeg.hangup();
      FinishedCall aliceRecord = second.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(aliceRecord.answerMillis()).isPresent();

      List<Kamailio.TracedRequest> traced = kamailio.tracedRequests();
      List<Kamailio.TracedRequest> during = traced.subList(tracedBefore, traced.size());
      assertThat(during)
          .as("requests seen by the proxy: %s\n%s", during, kamailio.logTail())
          .filteredOn(r -> r.method().equals("INVITE"))
          .isNotEmpty();
      assertThat(during)
          .filteredOn(r -> r.method().equals("ACK"))
          .as("ACKs for 2xx routed through the proxy (Record-Route honoured): %s", during)
          .hasSizeGreaterThanOrEqualTo(2);
      List<Kamailio.TracedRequest> byes =
          during.stream().filter(r -> r.method().equals("BYE")).toList();
      assertThat(byes).as("BYEs routed through the proxy: %s", during).hasSize(2);
      assertThat(byes.get(0).source()).endsWith(":" + alice.sipPort());
      assertThat(byes.get(1).source()).endsWith(":" + bob.sipPort());
    }
  }

  /**
   * RFC 3261 §10.2.4: the registrar restarts and forgets every binding; the phone must bind again
   * by itself, at the latest when its refresh is due (expiry 10 s here).
   */
  @Test
  void reRegistersByItselfAfterTheRegistrarRestarts() throws Exception {
    try (InteropPhone carol = InteropPhone.start(account("carol", USERS.get("carol"), 10), false)) {
      carol.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      assertThat(kamailio.contacts("carol")).isNotEmpty();
      kamailio.restart();
      assertThat(kamailio.contacts("carol")).isEmpty();
      List<String> after =
          kamailio.awaitContacts("carol", c -> !c.isEmpty(), Duration.ofSeconds(20));
      assertThat(after)
          .as(
              "carol's binding 20 s after the restart; registration events %s",
              carol.registrationEvents())
          .anyMatch(c -> c.contains(contactPortOf(carol)));
    }
  }

  /** RFC 3261 §10.2.2: closing the phone removes its binding (REGISTER with Expires: 0). */
  @Test
  void unregistersOnShutdown() throws Exception {
    InteropPhone bob = InteropPhone.start(account("bob", USERS.get("bob"), 300), false);
    String port;
    try {
      bob.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      port = contactPortOf(bob);
      assertThat(kamailio.contacts("bob")).anyMatch(c -> c.contains(port));
    } finally {
      bob.close();
    }
    assertThat(kamailio.contacts("bob")).noneMatch(c -> c.contains(port));
  }

  /** Registration and a call with TCP as the transport to the registrar/proxy. */
  @Test
  void registersAndCallsOverTcp() throws Exception {
    PhoneConfig.Builder aliceTcp =
        PhoneConfig.builder()
            .user("alice")
            .registration(
                new RegistrationAccount(
                    kamailio.uri() + ";transport=tcp",
                    kamailio.addressOfRecord("alice"),
                    new DigestCredentials("alice", USERS.get("alice")),
                    300));
    try (InteropPhone alice = InteropPhone.start(aliceTcp, false);
        InteropPhone bob = InteropPhone.start(account("bob", USERS.get("bob"), 300), true)) {
      alice.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      bob.awaitRegistrationState(RegistrationState.REGISTERED, WAIT);
      Call call =
          alice
              .phone()
              .call(
                  kamailio.addressOfRecord("bob") + ";transport=tcp",
                  org.callchain.phone.CallOptions.defaults().withTransport(Transport.TCP));
      alice.awaitCallEvent(
          CallEvent.StateChanged.class,
          e -> e.call() == call && e.current() == CallState.ESTABLISHED,
          WAIT);
      call.hangup();
      assertThat(call.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS).transport())
          .isEqualTo(Transport.TCP);
      assertThat(kamailio.tracedRequests())
          .anyMatch(r -> r.method().equals("REGISTER") && r.transport().equalsIgnoreCase("tcp"));
    }
  }
}
