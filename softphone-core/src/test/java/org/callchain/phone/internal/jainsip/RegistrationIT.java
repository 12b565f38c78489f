package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.callchain.phone.DigestCredentials;
import org.callchain.phone.RegistrationAccount;
import org.callchain.phone.RegistrationEvent;
import org.callchain.phone.RegistrationState;
import org.callchain.phone.testing.InTestRegistrar;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.Test;

/** REGISTER against an in-test registrar: digest, refresh, retry after failure, un-REGISTER. */
class RegistrationIT {
  private static final Duration T = Duration.ofSeconds(8);

  private static RegistrationAccount account(InTestRegistrar r, String password) {
    return new RegistrationAccount(
        r.uri(), "sip:alice@127.0.0.1", new DigestCredentials("alice", password), 3600);
  }

  @Test
  void registersWithDigestRefreshesRecoversAndUnregisters() throws Exception {
    try (InTestRegistrar registrar = new InTestRegistrar("alice", "pw", 2);
        TestPhones phones = new TestPhones()) {
      TestPhone alice = phones.start("alice", b -> b.registration(account(registrar, "pw")));
      RegistrationEvent first =
          alice.events().awaitRegistration(e -> e.state() == RegistrationState.REGISTERED, T);
      // RFC 3261 §10.2.4: the granted expiry (2 s), not the 3600 s asked for, drives the refresh.
      assertThat(first.expiresSeconds()).isEqualTo(2);
      assertThat(alice.phone().registrationState()).isEqualTo(RegistrationState.REGISTERED);
      long deadline = System.currentTimeMillis() + 5000;
      while (registrar.registrations() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(registrar.registrations()).as("refreshes").isGreaterThanOrEqualTo(3);

      // The registrar restarts: it answers 503 twice; the phone backs off and registers again.
      alice.events().clear();
      registrar.failNext(2);
      // A refresh sent before failNext may still report REGISTERED after the clear: only a
      // REGISTERED that follows the failure shows the recovery (and that both 503s are used up).
      RegistrationEvent failed =
          alice.events().awaitRegistration(e -> e.state() == RegistrationState.FAILED, T);
      alice
          .events()
          .awaitRegistrationAfter(
              failed, e -> e.state() == RegistrationState.REGISTERED, Duration.ofSeconds(10));

      alice.phone().close();
      assertThat(registrar.unregistrations()).isEqualTo(1);
      assertThat(alice.phone().registrationState()).isEqualTo(RegistrationState.UNREGISTERED);
      assertThat(registrar.badDigests()).isZero();
    }
  }

  @Test
  void wrongPasswordFailsAndIsRetriedLater() throws Exception {
    try (InTestRegistrar registrar = new InTestRegistrar("alice", "pw", 60);
        TestPhones phones = new TestPhones()) {
      TestPhone alice = phones.start("alice", b -> b.registration(account(registrar, "nope")));
      RegistrationEvent failed =
          alice.events().awaitRegistration(e -> e.state() == RegistrationState.FAILED, T);
      assertThat(failed.sipCode()).isEqualTo(403);
      assertThat(registrar.badDigests()).isEqualTo(1);
      assertThat(registrar.registrations()).isZero();
    }
  }
}
