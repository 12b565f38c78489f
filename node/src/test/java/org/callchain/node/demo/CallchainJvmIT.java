package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process harness of the demo and the acceptance tests, on real child JVMs. */
class CallchainJvmIT {
  @TempDir Path dir;

  @Test
  void runsACallchainCommandInAChildJvmWithTheLauncherFlags() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "secret\n");

    CommandResult r =
        CallchainJvm.run(
            Duration.ofSeconds(60),
            "keys",
            "new",
            "--light",
            "--data-dir",
            dir.toString(),
            "--password-file",
            password.toString());

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).containsPattern("device 0x[0-9a-f]{40}");
    assertThat(Files.exists(dir.resolve("keystore.json"))).isTrue();
    assertThat(CallchainJvm.commandLine(java.util.List.of("x")))
        .containsSubsequence(CallchainJvm.jvmFlags())
        .endsWith("x");
  }

  @Test
  void killsACommandThatOutlivesItsBoundAndSaysSo() throws Exception {
    long t0 = System.nanoTime();

    CommandResult r = CallchainJvm.run(Duration.ofSeconds(3), "phone", "--sip-port", "0");

    assertThat(r.exitCode()).isEqualTo(-1);
    assertThat(r.stderr()).contains("killed: still running after 3 s");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aFailedCommandReportsItsExitCodeAndItsError() throws Exception {
    CommandResult r =
        CallchainJvm.run(Duration.ofSeconds(60), "keys", "show", "--data-dir", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.linesWith("no keystore")).hasSize(1);
  }
}
