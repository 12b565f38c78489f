package org.callchain.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The anchor service in a child JVM killed with SIGKILL while anchors are queued and in flight,
 * then started again on the same data directory: every checkpoint lands on the real Anvil exactly
 * once, including the one the second process offers again.
 */
class AnchorServiceKillInteropIT {
  @TempDir Path data;

  /** SIGKILL through kill(1), as in the ledger's CrashRecoveryIT. */
  private static void sigkill(Process child) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill(1)").isTrue();
  }

  private static Process child(AnvilChain chain, Path dir, long from, long to) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                AnchoringChild.class.getName(),
                chain.anvil.rpcUrl(),
                chain.deployment.contracts().registry().hex(),
                chain.deployment.contracts().anchor().hex(),
                dir.toString(),
                Long.toString(from),
                Long.toString(to))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment()
        .put(
            "CALLCHAIN_TEST_DEVICE_KEY",
            Numeric.toHexStringWithPrefixZeroPadded(
                chain.key(6).getEcKeyPair().getPrivateKey(), 64));
    return pb.start();
  }

  /** Reads the child's lines until {@code stop} holds for one; returns every line read. */
  private static List<String> readUntil(Process child, Predicate<String> stop, Duration timeout)
      throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      if (stop.test(line)) {
        return lines;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new AssertionError("child did not get there within " + timeout + "; it said " + lines);
  }

  private static boolean sentButNotConfirmed(String line) {
    if (!line.startsWith("STATUS ")) {
      return false;
    }
    String[] p = line.split(" ");
    return Integer.parseInt(p[2]) > 0 && Integer.parseInt(p[1]) + Integer.parseInt(p[2]) >= 2;
  }

  @Test
  void aKilledServiceLandsEveryQueuedCheckpointOnceAfterRestart() throws Exception {
    try (AnvilChain chain = AnvilChain.start(Duration.ofSeconds(1))) {
      DeviceAddress device = chain.address(6);
      try (ChainConnection connection = chain.connect()) {
        Chains.registryAdmin(connection, chain.key(0)).register(device, "sip:desk6@example.com");
      }
      Process first = child(chain, data, 1, 6);
      try {
        List<String> said =
            readUntil(
                first, AnchorServiceKillInteropIT::sentButNotConfirmed, Duration.ofSeconds(60));
        assertThat(said).contains("QUEUED 6");
        // Killed with an anchor sent but unconfirmed (its nonce and signed bytes on disk only),
        // and maybe others still queued; what was broadcast may still be mined meanwhile.
        sigkill(first);
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.destroyForcibly();
      }

      Process second = child(chain, data, 6, 8); // 6 offered again: not queued twice
      try {
        readUntil(second, "DRAINED"::equals, Duration.ofSeconds(90));
      } finally {
        sigkill(second);
        second.waitFor(30, TimeUnit.SECONDS);
        second.destroyForcibly();
      }
      Map<Long, Integer> landed = chain.anchoredSizes(device);
      assertThat(landed.keySet())
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 8).boxed().toList());
      assertThat(landed.values()).allMatch(n -> n == 1);
    }
  }
}
