package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.testing.InTestProxy;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.Test;

/**
 * Calls through a record-routing proxy: the caller pre-loads a Route to its outbound proxy (RFC
 * 3261 §8.1.2), both sides keep the route set from Record-Route (§12.1) and send every in-dialog
 * request — ACK, re-INVITE, BYE — through the proxy with loose routing (§12.2.1.1).
 */
class ProxyRoutingIT {
  private static final Duration T = Duration.ofSeconds(8);

  @Test
  void inDialogRequestsFollowTheRouteSetBothWays() throws Exception {
    try (InTestProxy proxy = new InTestProxy();
        TestPhones phones = new TestPhones()) {
      TestPhone alice = phones.start("alice", b -> b.outboundProxy(proxy.uri()));
      TestPhone bob = phones.start("bob");
      Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
      Call in = bob.events().awaitIncoming(T);
      in.answer();
      alice.events().awaitState(out, CallState.ESTABLISHED, T);
      bob.events().awaitState(in, CallState.ESTABLISHED, T);
      in.hold();
      alice.events().await(CallEvent.HoldChanged.class, e -> e.remoteHold(), T);
      bob.events().await(CallEvent.HoldChanged.class, e -> e.localHold(), T);
      in.hangup();
      assertThat(out.finished().get(8, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
      assertThat(in.finished().get(8, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
      // INVITE and ACK from alice, re-INVITE + its ACK and BYE from bob: all through the proxy.
      assertThat(proxy.forwardedRequests())
          .containsSubsequence("INVITE", "ACK", "INVITE", "ACK", "BYE");
    }
  }

  @Test
  void callerByeAlsoTakesTheProxy() throws Exception {
    try (InTestProxy proxy = new InTestProxy();
        TestPhones phones = new TestPhones()) {
      TestPhone alice = phones.start("alice", b -> b.outboundProxy(proxy.uri()));
      TestPhone bob = phones.start("bob");
      Call out = alice.phone().call(bob.uri(), CallOptions.defaults());
      Call in = bob.events().awaitIncoming(T);
      in.answer();
      alice.events().awaitState(out, CallState.ESTABLISHED, T);
      out.hangup();
      assertThat(in.finished().get(8, TimeUnit.SECONDS).disposition())
          .isEqualTo(CallDisposition.ANSWERED);
      assertThat(proxy.forwardedRequests()).containsSubsequence("INVITE", "ACK", "BYE");
    }
  }
}
