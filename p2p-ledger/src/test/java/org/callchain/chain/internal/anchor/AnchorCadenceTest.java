package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.RootHash;
import org.junit.jupiter.api.Test;

/** Every N records or T seconds, whichever comes first. */
class AnchorCadenceTest {
  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  private static AnchorCheckpoint cp(long size) {
    return new AnchorCheckpoint(size, new RootHash(new byte[32]));
  }

  @Test
  void anchorsWhenTheRecordCountIsReached() {
    AnchorCadence cadence = new AnchorCadence(64, Duration.ofSeconds(60), 0);
    assertThat(cadence.committed(cp(63), T0)).isEmpty();
    assertThat(cadence.committed(cp(64), T0.plusSeconds(1))).contains(cp(64));
    assertThat(cadence.committed(cp(100), T0.plusSeconds(2))).isEmpty();
    assertThat(cadence.committed(cp(128), T0.plusSeconds(3))).contains(cp(128));
  }

  @Test
  void anchorsTheLatestCheckpointWhenTheOldestUnanchoredRecordWaitedLongEnough() {
    AnchorCadence cadence = new AnchorCadence(64, Duration.ofSeconds(60), 0);
    cadence.committed(cp(1), T0);
    cadence.committed(cp(2), T0.plusSeconds(30));
    assertThat(cadence.due(T0.plusSeconds(59))).isEmpty();
    assertThat(cadence.due(T0.plusSeconds(60))).contains(cp(2));
    assertThat(cadence.due(T0.plusSeconds(200))).isEmpty();
  }

  @Test
  void continuesFromTheLastQueuedSizeAfterARestart() {
    AnchorCadence cadence = new AnchorCadence(10, Duration.ofSeconds(60), 50);
    assertThat(cadence.committed(cp(50), T0)).isEmpty();
    assertThat(cadence.committed(cp(59), T0)).isEmpty();
    assertThat(cadence.committed(cp(60), T0)).contains(cp(60));
  }

  @Test
  void afterABatchAnchoredPartOfATakenCheckpointItCountsFromTheAnchoredSize() {
    AnchorCadence cadence = new AnchorCadence(64, Duration.ofSeconds(60), 0);
    assertThat(cadence.committed(cp(64), T0)).contains(cp(64));
    assertThat(cadence.rebased(61, cp(64), T0.plusSeconds(1))).isEmpty();
    assertThat(cadence.committed(cp(124), T0.plusSeconds(2))).isEmpty();
    assertThat(cadence.committed(cp(125), T0.plusSeconds(3))).contains(cp(125));
  }

  @Test
  void aRestStillDueByRecordsIsReturnedAtOnce() {
    AnchorCadence cadence = new AnchorCadence(10, Duration.ofSeconds(60), 0);
    assertThat(cadence.committed(cp(30), T0)).contains(cp(30));
    assertThat(cadence.committed(cp(33), T0.plusSeconds(1))).isEmpty();
    assertThat(cadence.rebased(12, cp(30), T0.plusSeconds(2))).contains(cp(33));
  }

  @Test
  void theRestWaitsAtMostTheAnchorIntervalFromTheRebase() {
    AnchorCadence cadence = new AnchorCadence(64, Duration.ofSeconds(60), 0);
    assertThat(cadence.committed(cp(64), T0)).contains(cp(64));
    assertThat(cadence.rebased(61, cp(64), T0.plusSeconds(5))).isEmpty();
    assertThat(cadence.due(T0.plusSeconds(64))).isEmpty();
    assertThat(cadence.due(T0.plusSeconds(65))).contains(cp(64));
  }
}
