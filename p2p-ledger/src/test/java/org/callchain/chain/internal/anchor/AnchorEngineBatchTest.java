package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
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
