package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BasicCallIT {
  private static final Duration T = Duration.ofSeconds(5);
  private static TestPhones phones;
  private static TestPhone alice;
  private static TestPhone bob;

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    alice = phones.start("alice");
    bob = phones.start("bob");
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  @Test
  void callerHangsUpAnAnsweredCall() throws Exception {
    Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
    Call in = bob.events().awaitIncoming(T);
    in.answer();
    alice.events().awaitState(out, CallState.ESTABLISHED, T);
    bob.events().awaitState(in, CallState.ESTABLISHED, T);
    out.hangup();
    FinishedCall a = out.finished().get(5, TimeUnit.SECONDS);
    FinishedCall b = in.finished().get(5, TimeUnit.SECONDS);
    assertThat(a.disposition()).isEqualTo(CallDisposition.ANSWERED);
    assertThat(b.disposition()).isEqualTo(CallDisposition.ANSWERED);
  }
}
