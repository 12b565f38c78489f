package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.testing.InTestRegistrar;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code phone} and {@code call} commands run in-process through {@link Main#run}, against
 * in-process phones on 127.0.0.1 (whose media is the test double; the command under test uses the
 * real RTP engine).
 */
class SipCommandsIT {
  private static final Duration T = Duration.ofSeconds(10);
  private static TestPhones phones;
  private static TestPhone answering;
  private static TestPhone busy;
  private static TestPhone silent;

  @BeforeAll
  static void start() throws Exception {
    phones = new TestPhones();
    answering = phones.start("answering");
    answering
        .phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in) {
                in.call().answer();
              }
            });
    busy = phones.start("busy");
    busy.phone()
        .addCallListener(
            e -> {
              if (e instanceof CallEvent.Incoming in) {
                in.call().reject(486);
              }
            });
    silent = phones.start("silent");
  }

  @AfterAll
  static void stop() {
    phones.close();
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static void assertOneLineError(CliRun r) {
    assertThat(r.err().strip().lines()).hasSizeBetween(1, 2);
    assertThat(r.err())
        .startsWith("callchain: ")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void callToAnAnsweringPhoneExitsZero() {
    CliRun r = run("call", answering.uri(), "--duration", "1s", "--rtp-ports", "31000-31999");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("outcome ANSWERED 200").contains("state ESTABLISHED");
  }

  @Test
  void callOverTcpWorks() {
    CliRun r =
        run(
            "call",
            answering.tcpUri(),
            "--duration",
            "500ms",
            "--transport",
            "tcp",
            "--rtp-ports",
            "32000-32999");
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void busyCalleeExitsThree() {
    CliRun r = run("call", busy.uri(), "--rtp-ports", "33000-33999");
    assertThat(r.exitCode()).isEqualTo(CallCommand.BUSY_OR_REJECTED);
    assertThat(r.err()).contains("busy").contains("486");
    assertOneLineError(r);
  }

  @Test
  void unansweredCallExitsFour() {
    CliRun r = run("call", silent.uri(), "--ring-timeout", "800ms", "--rtp-ports", "34000-34999");
    assertThat(r.exitCode()).isEqualTo(CallCommand.NO_ANSWER);
  }

  @Test
  void headlessPhoneAutoAnswersAndLogsEvents() throws Exception {
    int port = freePort();
    CompletableFuture<CliRun> phone =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    "phone",
                    "--sip-port",
                    String.valueOf(port),
                    "--user",
                    "headless",
                    "--auto-answer=200ms",
                    "--exit-after",
                    "5s",
                    "--rtp-ports",
                    "35000-35999"));
    TestPhone caller = phones.start("caller");
    String target = "sip:headless@127.0.0.1:" + port;
    awaitBound(port);
    Call call = caller.phone().call(target, CallOptions.defaults());
    caller.events().awaitState(call, CallState.ESTABLISHED, T);
    call.hangup();
    assertThat(call.finished().get(T.toSeconds(), TimeUnit.SECONDS).disposition())
        .isEqualTo(CallDisposition.ANSWERED);
    CliRun r = phone.get(20, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("ready")
        .contains("incoming from " + caller.uri())
        .contains("media PCMU")
        .contains("state CONNECTING")
        .contains("ended ANSWERED 200")
        .contains("phone stopped");
  }

  @Test
  void headlessPhoneRegistersAndUnregistersOnExit(@TempDir Path dir) throws Exception {
    try (InTestRegistrar registrar = new InTestRegistrar("alice", "pw", 60)) {
      Path password = Files.writeString(dir.resolve("password"), "pw\n");
      CliRun r =
          run(
              "phone",
              "--sip-port",
              "0",
              "--user",
              "alice",
              "--register",
              "sip:alice@127.0.0.1:" + registrar.port(),
              "--password-file",
              password.toString(),
              "--exit-after",
              "2s",
              "--rtp-ports",
              "38000-38999");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("registration REGISTERED 200 OK expires=60s")
          .contains("registration UNREGISTERED 200");
      assertThat(registrar.registrations()).isEqualTo(1);
      assertThat(registrar.unregistrations()).isEqualTo(1);
      assertThat(r.out() + r.err()).doesNotContain("pw\n").doesNotContain("password=pw");
    }
  }

  @Test
  void badArgumentsGiveOneLineAndUsageStatus() {
    CliRun noPort = run("phone");
    assertThat(noPort.exitCode()).isEqualTo(2);
    assertThat(noPort.err()).contains("--sip-port");

    CliRun both = run("phone", "--sip-port", "0", "--auto-answer", "--reject", "486");
    assertThat(both.exitCode()).isEqualTo(2);
    assertOneLineError(both);

    CliRun badDuration = run("call", "sip:bob@127.0.0.1", "--duration", "soon");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err()).contains("not a duration");

    CliRun noPassword = run("phone", "--sip-port", "0", "--register", "sip:alice@127.0.0.1");
    assertThat(noPassword.exitCode()).isEqualTo(2);
    assertOneLineError(noPassword);

    CliRun badTransport = run("call", "sip:bob@127.0.0.1", "--transport", "sctp");
    assertThat(badTransport.exitCode()).isEqualTo(2);
    assertOneLineError(badTransport);

    CliRun badPorts = run("call", "sip:bob@127.0.0.1", "--rtp-ports", "9-8");
    assertThat(badPorts.exitCode()).isEqualTo(2);
    assertOneLineError(badPorts);
  }

  @Test
  void badConfigGivesOneLineAndFailureStatus(@TempDir Path dir) throws Exception {
    CliRun notSip = run("call", "mailto:bob@example.com", "--rtp-ports", "36000-36999");
    assertThat(notSip.exitCode()).isEqualTo(1);
    assertOneLineError(notSip);
    assertThat(notSip.err()).contains("not a sip: URI");

    CliRun missingFile =
        run(
            "phone",
            "--sip-port",
            "0",
            "--register",
            "sip:alice@127.0.0.1",
            "--password-file",
            dir.resolve("absent").toString());
    assertThat(missingFile.exitCode()).isEqualTo(1);
    assertOneLineError(missingFile);

    int taken;
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      taken = s.getLocalPort();
      Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
      CliRun portTaken =
          run(
              "phone",
              "--sip-port",
              String.valueOf(taken),
              "--exit-after",
              "1s",
              "--rtp-ports",
              "37000-37999");
      assertThat(portTaken.exitCode()).isEqualTo(1);
      assertOneLineError(portTaken);
      assertThat(pw).exists();
    }
  }

  /** Waits until the command's phone answers an OPTIONS ping on {@code port}. */
  static void awaitBound(int port) throws Exception {
    long deadline = System.currentTimeMillis() + T.toMillis();
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(200);
      while (System.currentTimeMillis() < deadline) {
        String ping =
            "OPTIONS sip:headless@127.0.0.1:"
                + port
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:"
                + socket.getLocalPort()
                + ";branch=z9hG4bK"
                + System.nanoTime()
                + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\n"
                + "To: <sip:headless@127.0.0.1>\r\nCall-ID: ping"
                + System.nanoTime()
                + "\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        byte[] b = ping.getBytes(StandardCharsets.US_ASCII);
        socket.send(
            new java.net.DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
        try {
          byte[] in = new byte[4096];
          java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
          socket.receive(reply);
          if (new String(in, 0, reply.getLength(), StandardCharsets.US_ASCII)
              .startsWith("SIP/2.0 200")) {
            return;
          }
        } catch (java.net.SocketTimeoutException notYet) {
          // The phone is still starting.
        }
      }
    }
    throw new AssertionError("the phone command never answered on port " + port);
  }

  static int freePort() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return udp.getLocalPort();
        } catch (java.net.SocketException taken) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no free port for UDP and TCP");
  }
}
