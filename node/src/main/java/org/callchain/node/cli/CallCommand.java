package org.callchain.node.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callchain.media.MediaEngine;
import org.callchain.phone.Call;
import org.callchain.phone.CallDisposition;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallOptions;
import org.callchain.phone.CallState;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code callchain call}: places one call, talks for a while, hangs up, reports the outcome. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Place one SIP call, keep it up for --duration, hang up and print the outcome.",
      "With --data-dir the INVITE is signed with the device key (RFC 8224 Identity header)."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the call was answered and completed",
      "1:an error (bad config, no network, media could not start)",
      "2:bad arguments",
      "3:busy or rejected (486, 600, 603, 403, 488, ...)",
      "4:no answer or timeout (ring timeout, 408, 480)",
      "5:the call failed (5xx, transport error, unusable answer)"
    })
public final class CallCommand implements Runnable {
  static final int BUSY_OR_REJECTED = 3;
  static final int NO_ANSWER = 4;
  static final int FAILED = 5;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SIP-URI", description = "Whom to call, e.g. sip:bob@127.0.0.1:5062.")
  String target;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = Durations.class,
      description = "How long to stay in the call once answered (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--ring-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description = "Give up (CANCEL) if unanswered after this long (default: ${DEFAULT-VALUE}).")
  Duration ringTimeout;

  @Option(names = "--from", paramLabel = "URI", description = "The From address to use.")
  String from;

  @Option(
      names = "--sip-port",
      paramLabel = "P",
      defaultValue = "0",
      description = "Local SIP port (default: a free one).")
  int sipPort;

  @Mixin SipOptions sip;

  @Mixin MediaOptions media;

  @Mixin CallLedgerOptions ledgerOptions;

  @Option(
      names = "--node-config",
      paramLabel = "FILE",
      description =
          "Place the call from the running node of this config (its identity, its ledger).")
  java.nio.file.Path nodeConfig;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "Read the keystore password from the first line of FILE (as the keys and ledger"
              + " commands do; same as --keystore-password-file).")
  java.nio.file.Path keystorePasswordFile;

  @Override
  public void run() {
    if (nodeConfig != null) {
      viaNode();
      return;
    }
    if (sipPort < 0 || sipPort > 65535) {
      throw new CliException("--sip-port must be 0..65535, not " + sipPort, 2);
    }
    if (duration.isNegative() || ringTimeout.isZero() || ringTimeout.isNegative()) {
      throw new CliException("--duration and --ring-timeout must be positive", 2);
    }
    if (keystorePasswordFile != null) {
      if (ledgerOptions.passwordFile != null) {
        throw new CliException("use --password-file or --keystore-password-file, not both", 2);
      }
      ledgerOptions.passwordFile = keystorePasswordFile;
    }
    CallEventPrinter printer = new CallEventPrinter(spec.commandLine().getOut());
    CallLedgerOptions.CallLedger ledger =
        ledgerOptions.open(
            (record, leaf, checkpoint) ->
                printer.print(CallLedgerOptions.recordedLine(record, leaf, checkpoint)));
    try {
      run(printer, ledger);
    } finally {
      if (ledger != null) {
        ledger.close();
      }
    }
  }

  /** POST /calls to the running node; same outcome line and exit status as a local call. */
  private void viaNode() {
    if (ledgerOptions.dataDir != null) {
      throw new CliException("--node-config and --data-dir exclude each other", 2);
    }
    if (duration.isNegative()) {
      throw new CliException("--duration must not be negative", 2);
    }
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("to", target);
    body.put("durationMillis", duration.toMillis());
    body.put("dtmf", "");
    // The node bounds the call itself (ring timeout, Timer B); this only bounds a hung node.
    com.fasterxml.jackson.databind.JsonNode r =
        NodeClient.forConfig(nodeConfig)
            .post("/calls", body, duration.plus(ringTimeout).plusSeconds(90));
    CallDisposition d = CallDisposition.valueOf(r.path("outcome").asText("FAILED"));
    String line =
        d
            + " "
            + r.path("sipCode").asInt()
            + (r.path("reason").asText().isEmpty() ? "" : " " + r.path("reason").asText())
            + " call-id "
            + r.path("callId").asText()
            + (r.path("recordCallId").isTextual()
                ? " record " + r.path("recordCallId").asText() + " leaf " + r.path("leafIndex")
                : " (no record yet)");
    new CallEventPrinter(spec.commandLine().getOut()).print("outcome " + line);
    int status = exitStatus(d);
    if (status != 0) {
      throw new CliException(
          "call "
              + d.name().toLowerCase(java.util.Locale.ROOT)
              + ": "
              + r.path("sipCode").asInt()
              + " "
              + r.path("reason").asText(),
          status);
    }
  }

  private void run(CallEventPrinter printer, CallLedgerOptions.CallLedger ledger) {
    MediaEngine engine = media.open(sip.bind);
    try (Phone phone = start(engine, ledger)) {
      CallOptions options = CallOptions.defaults().withRingTimeout(ringTimeout);
      if (from != null) {
        options = options.withFrom(from);
      }
      if (sip.transport != null) {
        options = options.withTransport(sip.transports().iterator().next());
      }
      phone.addCallListener(printer);
      Call call;
      try {
        call = phone.call(target, options);
      } catch (PhoneException e) {
        throw new CliException(e.getMessage());
      }
      FinishedCall record = talkThenHangUp(call);
      printer.print("outcome " + CallEventPrinter.summary(record));
      spec.commandLine().getOut().flush();
      int status = exitStatus(record.disposition());
      if (status != 0) {
        throw new CliException(
            "call "
                + record.disposition().name().toLowerCase(java.util.Locale.ROOT)
                + ": "
                + record.finalSipCode()
                + " "
                + record.finalReason(),
            status);
      }
    } finally {
      engine.close();
    }
  }

  private Phone start(MediaEngine engine, CallLedgerOptions.CallLedger ledger) {
    try {
      return Phone.start(sip.phoneConfig(sipPort, engine, ledger).build());
    } catch (PhoneException | IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** Waits for the answer (or the end), stays for --duration, hangs up, waits for the record. */
  private FinishedCall talkThenHangUp(Call call) {
    // Timer B (32 s) bounds an INVITE nobody answers at all; the rest is ours.
    long bound = ringTimeout.plus(duration).plusSeconds(40).toMillis();
    long deadline = System.currentTimeMillis() + bound;
    try {
      CountDownLatch answered = new CountDownLatch(1);
      call.addListener(
          event -> {
            if (event instanceof CallEvent.StateChanged s
                && (s.current() == CallState.ESTABLISHED || s.current() == CallState.ENDED)) {
              answered.countDown();
            }
          });
      CallState now = call.state();
      if (now == CallState.ESTABLISHED || now == CallState.ENDED) {
        answered.countDown();
      }
      answered.await(bound, TimeUnit.MILLISECONDS);
      if (call.state() == CallState.ESTABLISHED) {
        waitUntilEndedOr(call, duration.toMillis());
        call.hangup();
      }
      long left = Math.max(1000, deadline - System.currentTimeMillis());
      return call.finished().get(left, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException("the call did not finish: " + e, FAILED);
    }
  }

  static int exitStatus(CallDisposition d) {
    return switch (d) {
      case ANSWERED -> 0;
      case BUSY, REJECTED -> BUSY_OR_REJECTED;
      case NO_ANSWER, CANCELLED -> NO_ANSWER;
      case FAILED -> FAILED;
    };
  }

  private static void waitUntilEndedOr(Call call, long millis) throws InterruptedException {
    try {
      call.finished().get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Still up after --duration (the usual case): the caller hangs up now.
    }
  }
}
