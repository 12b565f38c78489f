package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.RootHash;
import org.callchain.chain.internal.anchor.AnchorEntry.State;
import org.junit.jupiter.api.Test;

/**
 * The nonce and queue rules of {@link AnchorEngine} against a test double of the chain: every
 * queued checkpoint lands exactly once, nonces are consecutive with no duplicate, and outages,
 * restarts, reorgs and refusals only delay.
 */
class AnchorEngineTest {
  private final InMemoryAnchorQueue store = new InMemoryAnchorQueue();
  private final FakeAnchorChain chain = new FakeAnchorChain();
  private final List<ConfirmedAnchor> confirmed = new ArrayList<>();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  private AnchorEngine engine(int confirmations) {
    return new AnchorEngine(store, chain, clock, confirmations, Duration.ZERO, confirmed::add);
  }

  private static AnchorCheckpoint checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  /** Ticks and mines until the queue is empty or the bound is hit. */
  private void run(AnchorEngine engine, int rounds) throws Exception {
    for (int i = 0; i < rounds && !store.pending().isEmpty(); i++) {
      engine.tick();
      chain.mine();
    }
    engine.tick();
  }

  @Test
  void anchorsEveryQueuedCheckpointOnceWithConsecutiveNonces() throws Exception {
    AnchorEngine engine = engine(1);
    engine.enqueue(checkpoint(3));
    engine.enqueue(checkpoint(7));
    engine.enqueue(checkpoint(9));

    run(engine, 10);

    assertThat(store.pending()).isEmpty();
    assertThat(chain.landings()).isEqualTo(Map.of(3L, 1, 7L, 1, 9L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L, 1L, 2L);
    assertThat(confirmed).extracting(a -> a.checkpoint().treeSize()).containsExactly(3L, 7L, 9L);
    assertThat(store.counter(AnchorQueueStore.NEXT_NONCE)).hasValue(3);
  }

  @Test
  void ignoresCheckpointsNotLargerThanOneAlreadyQueued() throws Exception {
    AnchorEngine engine = engine(1);
    assertThat(engine.enqueue(checkpoint(5))).isTrue();
    assertThat(engine.enqueue(checkpoint(5))).isFalse();
    assertThat(engine.enqueue(checkpoint(4))).isFalse();
    assertThat(store.pending()).hasSize(1);
  }

  @Test
  void persistsNonceAndSignedTransactionBeforeBroadcastAndResendsSameBytesAfterRestart()
      throws Exception {
    AnchorEngine first = engine(1);
    first.enqueue(checkpoint(4));
    // The endpoint accepts the reads but the broadcast is lost (the process dies right after).
    first.tick();
    AnchorEntry sent = store.pending().get(0);
    assertThat(sent.state()).isEqualTo(State.SENT);
    assertThat(sent.nonce()).isZero();
    assertThat(sent.signedTransaction()).isPresent();
    chain.reorgDropping(0); // the node lost its mempool

    AnchorEngine restarted = engine(1);
    run(restarted, 10);

    assertThat(chain.landings()).isEqualTo(Map.of(4L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L);
    assertThat(confirmed).singleElement().satisfies(a -> assertThat(a.nonce()).isZero());
  }

  @Test
  void waitsOutAnOutageWithoutLosingOrDuplicatingAnchors() throws Exception {
    AnchorEngine engine = engine(2);
    engine.enqueue(checkpoint(1));
    engine.tick();
    chain.down = true;
    engine.enqueue(checkpoint(2));
    engine.tick();
    assertThat(engine.lastError()).hasValueSatisfying(e -> assertThat(e).contains("unreachable"));
    chain.mine();
    engine.tick();
    chain.down = false;

    run(engine, 20);

    assertThat(chain.landings()).isEqualTo(Map.of(1L, 1, 2L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L, 1L);
    assertThat(engine.lastError()).isEmpty();
  }

  @Test
  void confirmsOnlyAtTheConfiguredDepth() throws Exception {
    AnchorEngine engine = engine(3);
    engine.enqueue(checkpoint(8));
    engine.tick();
    chain.mine(); // included in block 1
    engine.tick();
    assertThat(store.pending())
        .singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(State.MINED));
    chain.mine(); // depth 2
    engine.tick();
    assertThat(confirmed).isEmpty();
    chain.mine(); // depth 3
    engine.tick();
    assertThat(confirmed).singleElement().satisfies(a -> assertThat(a.blockNumber()).isEqualTo(1));
  }

  @Test
  void resendsAnAnchorWhoseBlockLeftTheChain() throws Exception {
    AnchorEngine engine = engine(3);
    engine.enqueue(checkpoint(6));
    engine.tick();
    chain.mine();
    engine.tick();
    assertThat(store.pending().get(0).state()).isEqualTo(State.MINED);

    chain.reorgDropping(1); // the block with our anchor is gone, and with it the transaction
    run(engine, 10);

    assertThat(chain.landings()).isEqualTo(Map.of(6L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L);
    assertThat(confirmed).hasSize(1);
  }

  @Test
  void keepsQueueAndSpendsNoNonceWhileTheContractRefuses() throws Exception {
    AnchorEngine engine = engine(1);
    chain.revoked = true;
    engine.enqueue(checkpoint(2));
    engine.enqueue(checkpoint(3));
    run(engine, 3);

    assertThat(store.pending())
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.state()).isEqualTo(State.QUEUED));
    assertThat(engine.status(3).lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("not active"));
    assertThat(store.counter(AnchorQueueStore.NEXT_NONCE)).isEmpty();
    assertThat(chain.minedNonces()).isEmpty();

    chain.revoked = false;
    run(engine, 10);
    assertThat(chain.landings()).isEqualTo(Map.of(2L, 1, 3L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L, 1L);
  }

  @Test
  void requeuesAnAnchorThatRevertedOnChainAndSendsItWithTheNextNonce() throws Exception {
    AnchorEngine engine = engine(1);
    engine.enqueue(checkpoint(5));
    engine.tick();
    chain.revertOnChain = true;
    chain.mine(); // nonce 0 spent by a failed transaction
    chain.revertOnChain = false;
    engine.tick();

    run(engine, 10);

    assertThat(chain.landings()).isEqualTo(Map.of(5L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L, 1L);
    assertThat(confirmed).singleElement().satisfies(a -> assertThat(a.nonce()).isEqualTo(1));
  }

  @Test
  void takesTheChainNonceWhenSomeoneElseUsedTheAccount() throws Exception {
    AnchorEngine engine = engine(1);
    chain.foreignTransaction();
    chain.mine();
    engine.enqueue(checkpoint(1));
    run(engine, 10);

    assertThat(chain.landings()).isEqualTo(Map.of(1L, 1));
    assertThat(confirmed).singleElement().satisfies(a -> assertThat(a.nonce()).isEqualTo(1));
  }

  @Test
  void requeuesWhenAForeignTransactionTookAnInFlightNonce() throws Exception {
    AnchorEngine engine = engine(1);
    engine.enqueue(checkpoint(2));
    engine.tick(); // signed with nonce 0, in the mempool
    chain.reorgDropping(0); // the mempool is lost ...
    chain.foreignTransaction(); // ... and another sender takes nonce 0
    chain.mine();

    run(engine, 10);

    assertThat(chain.landings()).isEqualTo(Map.of(2L, 1));
    assertThat(confirmed).singleElement().satisfies(a -> assertThat(a.nonce()).isEqualTo(1));
  }

  @Test
  void reportsQueueLengthLagAndLastConfirmed() throws Exception {
    AnchorEngine engine = engine(1);
    engine.enqueue(checkpoint(10));
    engine.enqueue(checkpoint(20));
    assertThat(engine.status(25).queued()).isEqualTo(2);
    assertThat(engine.status(25).lagRecords()).isEqualTo(25);

    engine.tick();
    chain.mine();
    engine.tick();

    var status = engine.status(25);
    assertThat(status.queued()).isZero();
    assertThat(status.inFlight()).isZero();
    assertThat(status.lastConfirmed())
        .hasValueSatisfying(a -> assertThat(a.checkpoint().treeSize()).isEqualTo(20));
    assertThat(status.lagRecords()).isEqualTo(5);
    assertThat(status.nextNonce()).isEqualTo(2);
  }
}
