package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.AnchorService;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.RootHash;
import org.callchain.chain.internal.anchor.AnchorEntry.State;
import org.junit.jupiter.api.Test;

/**
 * {@link AnchorEngine} in anchor mode batch (ADR 0093): a queued checkpoint waits for another
 * account's batch and adopts it, spending no nonce; it goes alone only after the wait; an adopted
 * anchor that leaves the chain is queued again.
 */
class AnchorEngineBatchTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final InMemoryAnchorQueue store = new InMemoryAnchorQueue();
  private final FakeAnchorChain chain = new FakeAnchorChain();
  private final List<ConfirmedAnchor> confirmed = new ArrayList<>();
  private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T18:00:00Z"));
  private final AnchorEngine engine =
      new AnchorEngine(
          store,
          chain,
          clock,
          1,
          Duration.ofSeconds(30),
          Optional.empty(),
          Optional.of(WAIT),
          confirmed::add);

  private static AnchorCheckpoint checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  @Test
  void aCheckpointAnchoredByABatchIsAdoptedWithoutANonceOfOurs() throws Exception {
    engine.enqueue(checkpoint(3));
    engine.tick();
    assertThat(chain.broadcasts).isZero();
    assertThat(store.pending()).extracting(AnchorEntry::state).containsExactly(State.QUEUED);

    String batch = chain.batchBlock(3);
    engine.tick(); // adopts
    engine.tick(); // follows the receipt to its depth
    assertThat(confirmed).hasSize(1);
    assertThat(confirmed.get(0).transactionHash()).isEqualTo(batch);
    assertThat(confirmed.get(0).checkpoint()).isEqualTo(checkpoint(3));
    assertThat(store.pending()).isEmpty();
    assertThat(chain.broadcasts).isZero();
    assertThat(chain.minedNonces()).isEmpty();
  }

  @Test
  void aBatchOfALaterCheckpointCoversEveryQueuedOneAndBlocksSmallerOnes() throws Exception {
    List<Long> adopted = new ArrayList<>();
    engine.onAdopted(adopted::add);
    engine.enqueue(checkpoint(3));
    engine.enqueue(checkpoint(5));
    String batch = chain.batchBlock(7);
    engine.tick();
    engine.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(7L);
    assertThat(confirmed.get(0).transactionHash()).isEqualTo(batch);
    assertThat(adopted).containsExactly(7L); // the cadence counts from 7 now
    assertThat(store.pending()).isEmpty();
    assertThat(engine.enqueue(checkpoint(6))).isFalse();
    assertThat(engine.enqueue(checkpoint(8))).isTrue();
  }

  @Test
  void checkpointsCoveredByTheBatchAdoptedThisRoundFollowItWithoutReadingTheChainAgain()
      throws Exception {
    for (long size = 1; size <= 6; size++) {
      engine.enqueue(checkpoint(size));
    }
    String batch = chain.batchBlock(6);
    engine.tick(); // adopts the batch for the first, the other five follow it
    assertThat(chain.latestAnchorReads).isEqualTo(1);
    engine.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(6L);
    assertThat(confirmed.get(0).transactionHash()).isEqualTo(batch);
    assertThat(store.pending()).isEmpty();
    assertThat(chain.broadcasts).isZero();
  }

  @Test
  void withoutABatchTheCheckpointGoesAloneAfterTheWait() throws Exception {
    engine.enqueue(checkpoint(4));
    engine.tick();
    clock.advance(WAIT.minusMillis(1));
    engine.tick();
    assertThat(chain.broadcasts).isZero();
    clock.advance(Duration.ofMillis(1));
    engine.tick();
    assertThat(chain.broadcasts).isEqualTo(1);
    chain.mine();
    engine.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(4L);
    assertThat(chain.minedNonces()).containsExactly(0L);
  }

  @Test
  void checkpointsWhoseWaitEndedTogetherGoAloneAsOneTransactionAndALaterOneKeepsItsWait()
      throws Exception {
    engine.enqueue(checkpoint(2));
    engine.enqueue(checkpoint(4));
    clock.advance(Duration.ofSeconds(1));
    engine.enqueue(checkpoint(6));
    clock.advance(WAIT.minusSeconds(1)); // 2 and 4 waited out the batch, 6 has 1 s left
    engine.tick();
    assertThat(chain.broadcasts).isEqualTo(1);
    assertThat(store.pending())
        .extracting(e -> e.checkpoint().treeSize(), AnchorEntry::state)
        .containsExactly(tuple(4L, State.SENT), tuple(6L, State.QUEUED));
    assertThat(chain.anchoredSizeReads).isEqualTo(1); // one read of the anchored size per round

    chain.mine();
    clock.advance(Duration.ofSeconds(1));
    engine.tick();
    chain.mine();
    engine.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(4L, 6L);
    assertThat(chain.minedNonces()).containsExactly(0L, 1L);
    assertThat(store.pending()).isEmpty();
  }

  @Test
  void ourOwnFallbackThatLosesTheRaceToABatchIsAdoptedNotResent() throws Exception {
    engine.enqueue(checkpoint(4));
    clock.advance(WAIT);
    engine.tick(); // sent alone
    String batch = chain.batchBlock(4); // the aggregator's batch lands first
    chain.mine(); // ours reverts: size not greater
    engine.tick(); // revert seen: back to the queue
    engine.tick(); // covered on chain: adopted
    engine.tick();
    assertThat(confirmed).extracting(ConfirmedAnchor::transactionHash).containsExactly(batch);
    assertThat(chain.landings()).isEmpty(); // none of ours succeeded
  }

  @Test
  void aBatchThatAnchoredLessThanTheQueuedCheckpointIsAdoptedAndTheRestIsTheCadencesAgain()
      throws Exception {
    // The aggregator took the device's statement at 61 (half-way to due); the device's cadence,
    // counting from its last queued size, queued 64 later. The 3 records beyond 61 must not go
    // alone after the wait: they count toward the next anchor, as the aggregator counts them.
    List<String> rebased = new ArrayList<>();
    engine.onPartlyAnchored(
        (anchored, rest) -> {
          rebased.add(anchored + "<" + rest.treeSize());
          return Optional.empty();
        });
    String batch = chain.batchBlock(61);
    engine.enqueue(checkpoint(64));
    engine.tick();
    assertThat(rebased).containsExactly("61<64");
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(61L);
    assertThat(confirmed.get(0).transactionHash()).isEqualTo(batch);
    assertThat(store.pending()).isEmpty();
    clock.advance(WAIT.multipliedBy(2));
    engine.tick();
    assertThat(chain.broadcasts).isZero();
    assertThat(engine.batchShare()).isEqualTo(new AnchorService.BatchShare(0, 1));
    // the queue counts from 61 again: the cadence may offer 64 (or later) once it is due
    assertThat(engine.enqueue(checkpoint(64))).isTrue();
  }

  @Test
  void theRestOfAPartlyAnchoredCheckpointThatIsStillDueWaitsAgainForABatchThenGoesAlone()
      throws Exception {
    engine.onPartlyAnchored((anchored, rest) -> Optional.of(rest));
    engine.enqueue(checkpoint(5));
    engine.enqueue(checkpoint(9));
    clock.advance(WAIT.minusSeconds(1));
    chain.batchBlock(3);
    engine.tick(); // 3 adopted; 5 and 9 withdrawn, 9 queued again with a fresh wait
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(3L);
    assertThat(store.pending())
        .extracting(e -> e.checkpoint().treeSize(), AnchorEntry::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(9L, State.QUEUED));
    clock.advance(WAIT.minusMillis(1));
    engine.tick();
    assertThat(chain.broadcasts).isZero();
    clock.advance(Duration.ofMillis(1));
    engine.tick();
    assertThat(chain.broadcasts).isEqualTo(1);
    chain.mine();
    engine.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(3L, 9L);
    assertThat(engine.batchShare()).isEqualTo(new AnchorService.BatchShare(1, 1));
  }

  @Test
  void theDevicesOwnEarlierAnchorIsNotTakenForABatch() throws Exception {
    engine.enqueue(checkpoint(4));
    clock.advance(WAIT);
    engine.tick(); // alone
    chain.mine();
    engine.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(4L);
    engine.enqueue(checkpoint(8));
    engine.tick(); // anchored 4 is ours: nothing to adopt, the wait runs
    assertThat(store.pending()).extracting(AnchorEntry::state).containsExactly(State.QUEUED);
    clock.advance(WAIT);
    engine.tick();
    assertThat(chain.broadcasts).isEqualTo(2);
  }

  @Test
  void anAdoptedAnchorWhoseBlockLeftTheChainWaitsAgainThenGoesAlone() throws Exception {
    AnchorEngine deep =
        new AnchorEngine(
            store,
            chain,
            clock,
            3,
            Duration.ofSeconds(30),
            Optional.empty(),
            Optional.of(WAIT),
            confirmed::add);
    deep.enqueue(checkpoint(2));
    chain.batchBlock(2);
    deep.tick();
    assertThat(store.pending()).extracting(AnchorEntry::state).containsExactly(State.MINED);
    chain.reorgDropping(1);
    deep.tick();
    assertThat(store.pending()).extracting(AnchorEntry::state).containsExactly(State.QUEUED);
    clock.advance(WAIT);
    deep.tick();
    assertThat(chain.broadcasts).isEqualTo(1);
    chain.mine(3);
    deep.tick();
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(2L);
  }

  /** A clock the test moves. */
  static final class SettableClock extends Clock {
    private Instant now;

    SettableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
