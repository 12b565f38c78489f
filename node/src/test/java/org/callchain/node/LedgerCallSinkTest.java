package org.callchain.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreStrength;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.DeviceLog;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.Ledgers;
import org.callchain.media.MediaOutcome;
import org.callchain.media.MediaQuality;
import org.callchain.phone.CallDirection;
import org.callchain.phone.FinishedCall;
import org.callchain.phone.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batching sink against a real in-memory ledger and a manual commit timer. */
class LedgerCallSinkTest {
  @TempDir Path dir;

  private Ledger ledger;
  private DeviceKey key;
  private DeviceLog log;
  private final ManualTimer timer = new ManualTimer();
  private final List<String> heard = new ArrayList<>();

  /** A commit timer whose time moves only when the test says so. */
  static final class ManualTimer implements LedgerCallSink.CommitTimer {
    private long now;
    private final List<long[]> due = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
      long[] at = {now + delay.toMillis()};
      due.add(at);
      tasks.add(task);
      return () -> {
        synchronized (this) {
          int i = due.indexOf(at);
          if (i >= 0) {
            due.remove(i);
            tasks.remove(i);
          }
        }
      };
    }

    void advance(Duration d) {
      List<Runnable> run = new ArrayList<>();
      synchronized (this) {
        now += d.toMillis();
        for (int i = due.size() - 1; i >= 0; i--) {
          if (due.get(i)[0] <= now) {
            run.add(0, tasks.remove(i));
            due.remove(i);
          }
        }
      }
      run.forEach(Runnable::run);
    }

    synchronized int scheduled() {
      return tasks.size();
    }
  }

  @BeforeEach
  void openLedger() throws Exception {
    key = DeviceKeystore.create(dir.resolve("k.json"), "pw".toCharArray(), KeystoreStrength.LIGHT);
    ledger = Ledgers.open(Ledgers.inMemoryStore(), Clock.systemUTC());
    log = ledger.ownLog(key);
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private LedgerCallSink sink(int batch, Duration delay) {
    return new LedgerCallSink(
        log,
        key.address(),
        "hq",
        new LedgerCallSink.Listener() {
          @Override
          public void recorded(CallRecord record, long leafIndex, Checkpoint checkpoint) {
            heard.add("leaf " + leafIndex + " at size " + checkpoint.treeSize());
          }

          @Override
          public void committed(Checkpoint checkpoint, int records) {
            heard.add("commit size " + checkpoint.treeSize() + " of " + records);
          }
        },
        new LedgerCallSink.CommitPolicy(batch, delay),
        timer);
  }

  private static FinishedCall call(int n) {
    return new FinishedCall(
        "call-" + n + "@127.0.0.1",
        "ltag" + n,
        "rtag" + n,
        "sip:alice@127.0.0.1",
        "sip:bob@127.0.0.1",
        CallDirection.OUTGOING,
        1_000 + n,
        Optional.of(1_500L + n),
        4_500 + n,
        org.callchain.phone.CallDisposition.ANSWERED,
        200,
        "OK",
        Transport.UDP,
        "127.0.0.1:5070",
        "127.0.0.1:5080",
        Optional.of("127.0.0.1:20000"),
        Optional.of("127.0.0.1:30002"),
        Optional.empty(),
        new MediaOutcome("PCMU", new MediaQuality(150, 148, 2, 1.25, 0.5, 4.31), Optional.empty()));
  }

  @Test
  void aDeskPhoneCommitsEveryCallAtOnce() {
    LedgerCallSink sink = sink(1, Duration.ofMillis(200));
    sink.callFinished(call(1));
    assertThat(heard).containsExactly("leaf 0 at size 1", "commit size 1 of 1");
    sink.callFinished(call(2));
    assertThat(log.size()).isEqualTo(2);
    assertThat(heard).last().isEqualTo("commit size 2 of 1");
    assertThat(timer.scheduled()).isZero();
  }

  @Test
  void aFullBatchIsOneCheckpointAndNothingIsHeardBeforeItIsDurable() {
    LedgerCallSink sink = sink(3, Duration.ofSeconds(10));
    sink.callFinished(call(1));
    sink.callFinished(call(2));
    assertThat(heard).isEmpty();
    assertThat(log.size()).isZero();
    assertThat(sink.pendingRecords()).isEqualTo(2);

    sink.callFinished(call(3));

    assertThat(heard)
        .containsExactly(
            "leaf 0 at size 3", "leaf 1 at size 3", "leaf 2 at size 3", "commit size 3 of 3");
    assertThat(log.size()).isEqualTo(3);
    assertThat(log.latestCheckpoint()).get().extracting(Checkpoint::treeSize).isEqualTo(3L);
    assertThat(timer.scheduled()).as("the deadline of the full batch is cancelled").isZero();
  }

  @Test
  void aPartBatchIsCommittedWhenItsOldestRecordHasWaitedTheMaximumDelay() {
    LedgerCallSink sink = sink(10, Duration.ofMillis(200));
    sink.callFinished(call(1));
    timer.advance(Duration.ofMillis(150));
    sink.callFinished(call(2));
    assertThat(heard).isEmpty();

    timer.advance(Duration.ofMillis(49));
    assertThat(heard).isEmpty();
    timer.advance(Duration.ofMillis(1));

    assertThat(heard).containsExactly("leaf 0 at size 2", "leaf 1 at size 2", "commit size 2 of 2");
    assertThat(sink.pendingRecords()).isZero();

    sink.callFinished(call(3));
    timer.advance(Duration.ofMillis(200));
    assertThat(heard).last().isEqualTo("commit size 3 of 1");
  }

  @Test
  void closingCommitsWhatIsPending() {
    LedgerCallSink sink = sink(10, Duration.ofSeconds(5));
    sink.callFinished(call(1));
    sink.close();
    assertThat(heard).containsExactly("leaf 0 at size 1", "commit size 1 of 1");
    assertThat(timer.scheduled()).isZero();
  }

  @Test
  void aRecordTheLogRefusesIsCountedAndThePhoneKeepsWorking() {
    LedgerCallSink wrongDevice =
        new LedgerCallSink(
            log,
            org.callchain.identity.DeviceAddress.parse("0x" + "0".repeat(39) + "1"),
            "",
            (record, leaf, checkpoint) -> heard.add("leaf " + leaf));
    wrongDevice.callFinished(call(1));
    assertThat(wrongDevice.failures()).isEqualTo(1);
    assertThat(heard).isEmpty();

    LedgerCallSink sink = sink(1, Duration.ofMillis(200));
    sink.callFinished(call(2));
    assertThat(log.size()).isEqualTo(1);
    assertThat(sink.failures()).isZero();
  }
}
