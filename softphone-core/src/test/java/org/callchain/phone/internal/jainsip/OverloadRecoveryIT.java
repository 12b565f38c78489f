package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.interop.RawSipClient;
import org.callchain.phone.interop.RawSipResponse;
import org.callchain.phone.testing.OverloadTargetPhone;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood of INVITEs over UDP against a phone in a child JVM with a 64 MB heap: afterwards the
 * phone must still answer OPTIONS and take a call. The flood is never ACKed, so every 403 is
 * retransmitted for 64*T1 (RFC 3261 §17.2.1) and every transaction lingers: the worst case for the
 * stack's queues. Before the bounded receive queue a 48 MB heap ran out within seconds and the
 * stack's UDP reader thread died, leaving the phone deaf for good.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OverloadRecoveryIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration FLOOD = Duration.ofSeconds(6);
  private static final Duration RECOVERY = Duration.ofSeconds(90);

  private Process child;
  private final TestPhones phones = new TestPhones();

  @AfterEach
  void stop() throws Exception {
    phones.close();
    if (child != null) {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void phoneStillAnswersAndTakesACallAfterAnInviteFlood() throws Exception {
    Path log = Files.createTempFile("overload-target", ".log");
    int port = startTarget(log);
    assertThat(options(port, Duration.ofSeconds(5))).contains(200);

    long sent = flood(port, FLOOD);
    assertThat(sent).isGreaterThan(10_000);

    long deadline = System.nanoTime() + RECOVERY.toNanos();
    Optional<Integer> status = Optional.empty();
    while (status.isEmpty() && System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as("target JVM alive; its log: %s", log).isTrue();
      status = options(port, Duration.ofSeconds(2));
    }
    assertThat(status).as("OPTIONS answered after the flood; log %s", log).contains(200);

    // While the flood's transactions linger (64*T1, RFC 3261 §17.2.1) a new call may be answered
    // 503 with Retry-After (§21.5.4): a caller tries again later, and so does this test, within
    // the recovery window. Any other outcome fails at once.
    TestPhone alice = phones.start("alice");
    FinishedCall finished;
    int overloadedAnswers = 0;
    while (true) {
      Call call = alice.phone().call("sip:target@127.0.0.1:" + port, CallOptions.defaults());
      CallEvent.StateChanged reached =
          alice
              .events()
              .await(
                  CallEvent.StateChanged.class,
                  e ->
                      e.call().id().equals(call.id())
                          && (e.current() == CallState.ESTABLISHED
                              || e.current() == CallState.ENDED),
                  Duration.ofSeconds(60));
      if (reached.current() == CallState.ESTABLISHED) {
        call.hangup();
        alice.events().awaitState(call, CallState.ENDED, Duration.ofSeconds(60));
      }
      finished = call.finished().get(10, TimeUnit.SECONDS);
      if (finished.finalSipCode() != 503 || System.nanoTime() > deadline) {
        break;
      }
      overloadedAnswers++;
      Thread.sleep(2_000);
    }
    assertThat(finished.disposition())
        .as("a call after the flood (%d earlier 503 answers); log %s", overloadedAnswers, log)
        .isEqualTo(org.callchain.phone.CallDisposition.ANSWERED);
    String childLog = Files.readString(log);
    assertThat(childLog).as("the flood overloaded the phone").contains("INVITEs shed");
    assertThat(childLog).doesNotContain("OutOfMemoryError");
  }

  private int startTarget(Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                OverloadTargetPhone.class.getName())
            .redirectError(log.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readLine(out));
    String line = first.orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(line).as("target's first line").startsWith("port ");
    return Integer.parseInt(line.substring(5).trim());
  }

  private static String readLine(BufferedReader in) {
    try {
      String line = in.readLine();
      return line == null ? "" : line;
    } catch (IOException e) {
      return "";
    }
  }

  /** Sends INVITEs from an unregistered caller as fast as one socket can for {@code duration}. */
  private static long flood(int port, Duration duration) throws IOException {
    long sent = 0;
    long end = System.nanoTime() + duration.toNanos();
    try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      int local = socket.getLocalPort();
      while (System.nanoTime() < end) {
        byte[] invite = invite(port, local, sent).getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(invite, invite.length, LOOPBACK, port));
        sent++;
      }
    }
    return sent;
  }

  private static String invite(int port, int local, long n) {
    String sdp =
        "v=0\r\no=flood "
            + n
            + " 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 9 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\n";
    return "INVITE sip:target@127.0.0.1:"
        + port
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + local
        + ";branch=z9hG4bK-flood-"
        + n
        + ";rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:flood@127.0.0.1>;tag=f"
        + n
        + "\r\n"
        + "To: <sip:target@127.0.0.1>\r\n"
        + "Call-ID: flood-"
        + n
        + "-"
        + local
        + "@127.0.0.1\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Contact: <sip:flood@127.0.0.1:"
        + local
        + ">\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + sdp.length()
        + "\r\n\r\n"
        + sdp;
  }

  private static Optional<Integer> options(int port, Duration wait) throws IOException {
    int local;
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      local = s.getLocalPort();
    }
    String request =
        "OPTIONS sip:target@127.0.0.1:"
            + port
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + local
            + ";branch=z9hG4bK-probe-"
            + System.nanoTime()
            + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=probe\r\n"
            + "To: <sip:target@127.0.0.1>\r\n"
            + "Call-ID: probe-"
            + System.nanoTime()
            + "@127.0.0.1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";
    return RawSipClient.udp(port, local, request.getBytes(StandardCharsets.US_ASCII), wait)
        .map(RawSipResponse::status);
  }
}
