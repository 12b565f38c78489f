package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code callchain p2p listen} and {@code p2p publish} against each other, on loopback ({@code p2p
 * ping} is covered by {@link P2pPingCommandIT}).
 */
class P2pCommandIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new CallchainCommand());
    cli.setExecutionExceptionHandler(new OneLineErrors());
    cli.setParameterExceptionHandler(new OneLineErrors());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** A writer whose text can be read while another thread writes. */
  private static final class SharedWriter extends Writer {
    private final StringBuffer text = new StringBuffer();

    @Override
    public void write(char[] cbuf, int off, int len) {
      text.append(cbuf, off, len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String text() {
      return text.toString();
    }
  }

  private static int runWith(Writer out, Writer err, String... args) {
    CommandLine cli = new CommandLine(new CallchainCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(new OneLineErrors());
    cli.setParameterExceptionHandler(new OneLineErrors());
    return cli.execute(args);
  }

  @Test
  void publishReachesAListenerThatPrintsTheMessage() throws Exception {
    SharedWriter listenOut = new SharedWriter();
    SharedWriter listenErr = new SharedWriter();
    CompletableFuture<Integer> listener =
        CompletableFuture.supplyAsync(
            () -> runWith(listenOut, listenErr, "p2p", "listen", "--topic", "cdr", "--count", "1"));
    Pattern listening = Pattern.compile("listening (\\S+)");
    String address = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (address == null && System.nanoTime() < deadline) {
      Matcher m = listening.matcher(listenOut.text());
      if (m.find()) {
        address = m.group(1);
      } else {
        Thread.sleep(50);
      }
    }
    assertThat(address)
        .as("listen printed its multiaddr; stderr: %s", listenErr.text())
        .isNotNull();
    assertThat(address).startsWith("/ip4/127.0.0.1/tcp/").contains("/p2p/16Uiu2HA");

    StringWriter publishOut = new StringWriter();
    StringWriter publishErr = new StringWriter();
    int status =
        runWith(
            publishOut, publishErr, "p2p", "publish", "--peer", address, "--topic", "cdr", "hi");
    assertThat(status).as(publishErr.toString()).isZero();
    assertThat(publishOut.toString()).contains("published to 1 peer");

    assertThat(listener.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(listenOut.text()).containsPattern("message topic=cdr from=16Uiu2HA\\S+ hi");
  }

  @Test
  void publishWithoutPeerIdIsAUsageError() {
    int status = runWith(out, err, "p2p", "publish", "--peer", "/ip4/127.0.0.1/tcp/1", "x");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--peer needs /p2p/");
  }

  @Test
  void publishToAnUnreachablePeerFailsWithOneLine() {
    int status =
        runWith(
            out,
            err,
            "p2p",
            "publish",
            "--wait",
            "3",
            "--peer",
            "/ip4/127.0.0.1/tcp/1/p2p/16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY",
            "x");
    assertThat(status).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("callchain: cannot dial").doesNotContain("\n");
  }
}
