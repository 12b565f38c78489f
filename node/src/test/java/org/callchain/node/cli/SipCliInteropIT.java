package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.interop.FreePorts;
import org.callchain.phone.interop.Kamailio;
import org.callchain.phone.interop.PortProbe;
import org.callchain.phone.interop.Sipp;
import org.callchain.phone.interop.SippResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code callchain phone} and {@code callchain call} commands against real peers (SIPp,
 * Kamailio), reusing softphone-core's interop fixtures from its test-jar. The commands run
 * in-process through {@link Main#run}, with their real RTP media engine.
 */
class SipCliInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** `callchain phone --auto-answer` answers every call of `sipp -sn uac`. */
  @Test
  void headlessPhoneAnswersEveryCallFromSipp() throws Exception {
    int port = FreePorts.udpAndTcp();
    CompletableFuture<CliRun> phone =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    "phone",
                    "--sip-port",
                    String.valueOf(port),
                    "--user",
                    "callchain",
                    "--auto-answer",
                    "--exit-after",
                    "12s"));
    assertThat(PortProbe.awaitUdpBound(port, WAIT)).as("phone bound its port").isTrue();
    SippResult uac =
        Sipp.builtIn("uac")
            .target("127.0.0.1:" + port)
            .service("callchain")
            .calls(20)
            .rate(10, 1000)
            .run();
    assertThat(uac.allSuccessful(20)).as(uac.describe()).isTrue();
    CliRun r = phone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("ended ANSWERED"))).hasSize(20);
  }

  /** `callchain call` completes a call with `sipp -sn uas` and exits 0. */
  @Test
  void callCommandCompletesACallWithSipp() throws Exception {
    try (Sipp.Running uas = Sipp.builtIn("uas").calls(1).start()) {
      CliRun r = run("call", "sip:service@" + uas.address(), "--duration", "500ms");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("outcome ANSWERED 200");
      SippResult result = uas.awaitResult();
      assertThat(result.allSuccessful(1)).as(result.describe()).isTrue();
    }
  }

  /** A callee that hangs up first: `callchain call` still reports an answered call, exit 0. */
  @Test
  void callCommandHandlesTheCalleeHangingUp() throws Exception {
    try (Sipp.Running uas = Sipp.scenario("sipp/uas-answer-then-bye.xml").calls(1).start()) {
      CliRun r = run("call", "sip:sipp@" + uas.address(), "--duration", "10s");
      assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
      assertThat(uas.awaitResult().allSuccessful(1)).isTrue();
    }
  }

  /**
   * `callchain phone --register` binds at Kamailio with digest auth and removes the binding when it
   * exits (RFC 3261 §10.2.2).
   */
  @Test
  void headlessPhoneRegistersAtKamailioAndUnregistersOnExit(@TempDir Path dir) throws Exception {
    try (Kamailio kamailio = Kamailio.start(Map.of("alice", "alice-cli-pw"))) {
      Path password = dir.resolve("alice.pw");
      Files.writeString(password, "alice-cli-pw\n");
      int port = FreePorts.udpAndTcp();
      CompletableFuture<CliRun> phone =
          CompletableFuture.supplyAsync(
              () ->
                  run(
                      "phone",
                      "--sip-port",
                      String.valueOf(port),
                      "--user",
                      "alice",
                      "--register",
                      kamailio.addressOfRecord("alice"),
                      "--password-file",
                      password.toString(),
                      "--exit-after",
                      "6s"));
      assertThat(kamailio.awaitContacts("alice", c -> !c.isEmpty(), WAIT))
          .as("binding at Kamailio; log:\n%s", kamailio.logTail())
          .anyMatch(c -> c.contains(":" + port));
      CliRun r = phone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("registration REGISTERED");
      assertThat(kamailio.contacts("alice")).noneMatch(c -> c.contains(":" + port));
    }
  }
}
