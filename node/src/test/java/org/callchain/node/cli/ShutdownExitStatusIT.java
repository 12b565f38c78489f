package org.callchain.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.callchain.node.demo.CallchainJvm;
import org.junit.jupiter.api.Test;

/**
 * A long-running command stopped by SIGTERM exits 0 once its close completed (the shutdown hook
 * halts with the command's status), not with the JVM's 128 + 15 = 143 that a service manager counts
 * as a failure. {@code callchain node} is covered by {@link NodeProcessInteropIT}.
 */
class ShutdownExitStatusIT {
  @Test
  void aPhoneStoppedBySigtermClosesAndExitsZero() throws Exception {
    Process phone =
        CallchainJvm.processBuilder(List.of("phone", "--sip-port", "0"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> out = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> collect(phone, out), "phone-output");
    reader.setDaemon(true);
    reader.start();
    try {
      awaitLine(out, " ready on ", phone);
    } finally {
      phone.toHandle().destroy(); // SIGTERM
    }

    assertThat(phone.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(phone.exitValue()).as("exit status after SIGTERM; output %s", out).isZero();
    assertThat(out).anyMatch(l -> l.endsWith(" phone stopped"));
  }

  private static void collect(Process p, List<String> out) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(line);
      }
    } catch (IOException e) {
      out.add("read failed: " + e);
    }
  }

  private static void awaitLine(List<String> out, String part, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (out.stream().noneMatch(l -> l.contains(part))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "no '" + part + "' (alive: " + p.isAlive() + ") in the phone's output " + out);
      }
      Thread.sleep(100);
    }
  }
}
