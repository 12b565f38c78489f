package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.callchain.phone.CallEvent;
import org.callchain.phone.testing.TestPhones;
import org.callchain.phone.testing.TestPhones.TestPhone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callchain call --data-dir} signs a record of the call into the device ledger, with the
 * recording's hash; the ledger commands then show, verify and audit it, and a changed recording is
 * named by the audit.
 */
class CallLedgerIT {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void everyCallIsSignedIntoTheLedgerWithItsRecordingHash(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("device");
    Path recordings = dir.resolve("recordings");
    Path password = Files.writeString(dir.resolve("pw"), "correct horse\n");
    CliRun keys =
        run(
            "keys",
            "new",
            "--light",
            "--data-dir",
            data.toString(),
            "--password-file",
            password.toString());
    assertThat(keys.exitCode()).as(keys.err()).isZero();

    try (TestPhones phones = new TestPhones()) {
      TestPhone bob = phones.start("bob");
      bob.phone()
          .addCallListener(
              e -> {
                if (e instanceof CallEvent.Incoming in) {
                  in.call().answer();
                }
              });
      CliRun call =
          run(
              "call",
              bob.uri(),
              "--duration",
              "1s",
              "--play",
              "tone:1000",
              "--record-dir",
              recordings.toString(),
              "--data-dir",
              data.toString(),
              "--keystore-password-file",
              password.toString());
      assertThat(call.exitCode()).as(call.err()).isZero();
      assertThat(call.out()).contains("recorded call ").contains("checkpoint size 1");
    }

    CliRun summary = run("ledger", "show", "--data-dir", data.toString());
    assertThat(summary.exitCode()).as(summary.err()).isZero();
    assertThat(summary.out()).contains("1 records");
    String device = summary.out().replaceAll("(?s).*(0x[0-9a-f]{40}).*", "$1");
    CliRun show =
        run("ledger", "show", "--device", device, "--json", "--data-dir", data.toString());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains("ANSWERED").contains("OUTGOING").contains(".wav");

    CliRun verify = run("ledger", "verify", "--data-dir", data.toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

    CliRun clean =
        run("audit", "--data-dir", data.toString(), "--recordings", recordings.toString());
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();

    Path wav;
    try (Stream<Path> files = Files.list(recordings)) {
      wav = files.filter(p -> p.toString().endsWith(".wav")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(wav);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(wav, bytes);
    CliRun tampered =
        run("audit", "--data-dir", data.toString(), "--recordings", recordings.toString());
    assertThat(tampered.exitCode()).isNotZero();
    assertThat(tampered.out() + tampered.err()).contains(wav.getFileName().toString());
  }

  @Test
  void aPasswordWithoutADataDirIsAUsageError(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "x\n");
    CliRun r =
        run("call", "sip:nobody@127.0.0.1:9", "--keystore-password-file", password.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("need --data-dir").doesNotContain("\tat ");
  }

  @Test
  void aMissingDeviceKeyIsOneClearLine(@TempDir Path dir) {
    CliRun r = run("call", "sip:nobody@127.0.0.1:9", "--data-dir", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no device key at").contains("callchain keys new");
  }
}
