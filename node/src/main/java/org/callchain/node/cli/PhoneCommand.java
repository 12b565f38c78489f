package org.callchain.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callchain.media.MediaEngine;
import org.callchain.phone.Call;
import org.callchain.phone.CallEvent;
import org.callchain.phone.CallState;
import org.callchain.phone.Phone;
import org.callchain.phone.PhoneConfig;
import org.callchain.phone.PhoneException;
import org.callchain.phone.RegistrationAccount;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callchain phone}: a headless phone that stays up, optionally registered, answering or
 * rejecting calls by policy, and logs every call event as one line on stdout.
 */
@Command(
    name = "phone",
    mixinStandardHelpOptions = true,
    description = {
      "Run a headless SIP phone until SIGINT/SIGTERM (it then hangs up and un-REGISTERs)",
      "or until --exit-after has passed (then it exits 0).",
      "Call events are printed one per line: <UTC time> <Call-ID> <event>.",
      "With --data-dir it signs outgoing INVITEs (RFC 8224 Identity); with --rpc, --registry",
      "and --anchor it admits incoming calls by the caller's registered device (docs/identity.md)."
    })
public final class PhoneCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--sip-port",
      paramLabel = "P",
      required = true,
      description = "SIP port for UDP and TCP (0 picks a free one).")
  int sipPort;

  @Mixin SipOptions sip;

  @Mixin MediaOptions media;

  @Mixin CallLedgerOptions ledgerOptions;

  @ArgGroup(
      exclusive = false,
      heading = "Admission by identity (all three, or none for no admission policy):%n")
  ChainOptions chain;

  @Mixin AdmissionOptions admissionOptions;

  @Option(
      names = "--register",
      paramLabel = "SIP-URI",
      description = "Register this address of record, e.g. sip:alice@pbx.example.com:5060.")
  String register;

  @Option(
      names = "--password-file",
      paramLabel = "F",
      description = "File whose first line is the digest password for --register.")
  Path passwordFile;

  @Option(
      names = "--expires",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description = "Registration lifetime to ask for (default: ${DEFAULT-VALUE}).")
  int expires;

  @Option(
      names = "--auto-answer",
      paramLabel = "DELAY",
      arity = "0..1",
      fallbackValue = "0s",
      converter = Durations.class,
      description = "Answer every call, after DELAY (default 0s when given without a value).")
  Duration autoAnswer;

  @Option(
      names = "--reject",
      paramLabel = "CODE",
      description = "Reject every call with this SIP code (e.g. 486 or 603).")
  Integer reject;

  @Option(
      names = "--quiet",
      description = "Print only each call's final line (for load tests), not every event.")
  boolean quiet;

  @Option(
      names = "--exit-after",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Stop by itself after this long (for scripts and tests).")
  Duration exitAfter;

  @Override
  public void run() {
    if (autoAnswer != null && reject != null) {
      throw new CliException("--auto-answer and --reject exclude each other", 2);
    }
    if (reject != null && (reject < 300 || reject > 699)) {
      throw new CliException("--reject needs a 3xx-6xx SIP code, not " + reject, 2);
    }
    if (sipPort < 0 || sipPort > 65535) {
      throw new CliException("--sip-port must be 0..65535, not " + sipPort, 2);
    }
    RegistrationAccount account = account();
    CallEventPrinter printer = new CallEventPrinter(spec.commandLine().getOut());
    CallLedgerOptions.CallLedger ledger =
        ledgerOptions.open(
            (record, leaf, checkpoint) ->
                printer.print(CallLedgerOptions.recordedLine(record, leaf, checkpoint)));
    AdmissionOptions.Admission admission;
    try {
      admission = admission(ledger);
    } catch (RuntimeException e) {
      closeQuietly(ledger);
      throw e;
    }
    MediaEngine engine;
    Phone phone;
    try {
      engine = media.open(sip.bind);
    } catch (RuntimeException e) {
      closeQuietly(admission);
      closeQuietly(ledger);
      throw e;
    }
    try {
      phone = Phone.start(config(engine, account, ledger, admission));
    } catch (PhoneException | IllegalArgumentException e) {
      engine.close();
      closeQuietly(admission);
      closeQuietly(ledger);
      throw new CliException(e.getMessage());
    }
    ScheduledExecutorService answerer = Executors.newSingleThreadScheduledExecutor();
    // On SIGINT/SIGTERM the hook waits (bounded) for the main thread to hang up and un-REGISTER.
    ShutdownSignal signal =
        ShutdownSignal.install("callchain-phone-shutdown", Duration.ofSeconds(6));
    try {
      phone.addRegistrationListener(printer);
      phone.addCallListener(
          event -> {
            if (!quiet || event instanceof CallEvent.Ended) {
              printer.onEvent(event);
            }
          });
      phone.addCallListener(event -> applyPolicy(event, answerer));
      printer.print("phone " + phone.localUri() + " ready on " + sip.transports());
      if (exitAfter != null) {
        signal.await(exitAfter);
      } else {
        signal.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      answerer.shutdownNow();
      phone.close();
      engine.close();
      closeQuietly(admission);
      closeQuietly(ledger);
      printer.print("phone stopped");
      signal.closed();
    }
  }

  private void applyPolicy(CallEvent event, ScheduledExecutorService answerer) {
    if (!(event instanceof CallEvent.Incoming incoming)) {
      return;
    }
    Call call = incoming.call();
    if (reject != null) {
      call.reject(reject);
    } else if (autoAnswer != null) {
      answerer.schedule(
          () -> {
            if (call.state() == CallState.INCOMING) {
              call.answer();
            }
          },
          autoAnswer.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        // Closing on the way out: nothing more to do.
      }
    }
  }

  /** Admission by identity when the chain options are given, else none (null). */
  private AdmissionOptions.Admission admission(CallLedgerOptions.CallLedger ledger) {
    if (chain == null) {
      if (admissionOptions.identities != null || admissionOptions.maxSnapshotAge != null) {
        throw new CliException(
            "--identity and --refuse-when-registry-older-than need --rpc, --registry, --anchor", 2);
      }
      return null;
    }
    return admissionOptions.open(
        chain,
        ledger == null ? null : ledger.dataDir,
        ledger == null ? null : ledger.key,
        sip.user,
        sip.bind,
        spec.commandLine().getOut());
  }

  private PhoneConfig config(
      MediaEngine engine,
      RegistrationAccount account,
      CallLedgerOptions.CallLedger ledger,
      AdmissionOptions.Admission admission) {
    PhoneConfig.Builder b = sip.phoneConfig(sipPort, engine, ledger).registration(account);
    if (admission != null) {
      b.admissionHook(admission.hook);
    }
    return b.build();
  }

  private RegistrationAccount account() {
    if (register == null) {
      if (passwordFile != null) {
        throw new CliException("--password-file needs --register", 2);
      }
      return null;
    }
    if (passwordFile == null) {
      throw new CliException("--register needs --password-file", 2);
    }
    String password;
    try {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new CliException("password file " + passwordFile + " is empty");
      }
      password = lines.get(0);
    } catch (IOException e) {
      throw new CliException("cannot read password file " + passwordFile + ": " + e.getMessage());
    }
    return RegistrationAccounts.fromAddressOfRecord(register, password, expires);
  }
}
