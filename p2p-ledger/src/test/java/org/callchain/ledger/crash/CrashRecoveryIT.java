package org.callchain.ledger.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.callchain.ledger.AuditReport;
import org.callchain.ledger.Hash256;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerAudit;
import org.callchain.ledger.Ledgers;
import org.callchain.ledger.LogView;
import org.callchain.ledger.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a child JVM appends in a loop and reports every acknowledged commit; it is killed
 * with SIGKILL (kill -KILL) at random moments, 20 times. After each kill the store must open (crash
 * recovery), audit clean, and hold every acknowledged tree: the root at each acknowledged size
 * equals the root the child was told.
 */
class CrashRecoveryIT {
  private static final int KILLS = 20;

  @TempDir Path dir;

  private record Ack(long size, Hash256 root) {}

  /**
   * SIGKILL through kill(1): {@link Process#destroyForcibly()} would also close our end of the
   * child's stdout, losing acknowledgements the child printed just before it died.
   */
  private static void sigkill(Process child) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill(1) from procps/util-linux").isTrue();
  }

  @Test
  void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
    Path store = dir.resolve("ledger");
    Random random = new Random(4242);
    List<Ack> acked = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int round = 0; round < KILLS; round++) {
      Process child =
          new ProcessBuilder(
                  java,
                  "-Xmx128m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  AppendingChild.class.getName(),
                  store.toString(),
                  Long.toString(round))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        int acksThisRound = 0;
        int killAtAck = 1 + random.nextInt(6);
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
          if (line.startsWith("ACK ")) {
            String[] parts = line.split(" ");
            acked.add(new Ack(Long.parseLong(parts[1]), Hash256.parse(parts[2])));
            if (++acksThisRound == killAtAck) {
              // Kill a few milliseconds later: usually mid-batch or mid-commit.
              Thread.sleep(random.nextInt(20));
              sigkill(child);
            }
          }
        }
        // The loop read on to EOF, so every ACK printed before the kill is counted.
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acksThisRound).as("round %d acknowledged something", round).isPositive();
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      // Opening runs the recovery checks; it throws CorruptStoreException if the head is damaged.
      try (Ledger ledger = Ledgers.open(Ledgers.rocksDbStore(store), Clock.systemUTC())) {
        LogView log = ledger.log(TestKeys.ALICE.address()).orElseThrow();
        long last = acked.get(acked.size() - 1).size();
        assertThat(log.size()).as("round %d", round).isGreaterThanOrEqualTo(last);
        for (Ack a : acked) {
          assertThat(log.root(a.size()))
              .as("root at acknowledged size %d", a.size())
              .isEqualTo(a.root());
        }
      }
      try (var s = Ledgers.rocksDbStore(store)) {
        AuditReport report = LedgerAudit.run(s, null);
        assertThat(report.problems()).as("audit after round %d", round).isEmpty();
      }
    }
    System.out.printf(
        "Crash recovery: %d SIGKILLs, %d acknowledged commits, %d records, all present%n",
        KILLS, acked.size(), acked.get(acked.size() - 1).size());
  }
}
