package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callchain.chain.AnchorCheckpoint;
import org.callchain.chain.ConfirmedAnchor;
import org.callchain.chain.RootHash;
import org.junit.jupiter.api.Test;

/**
 * Fee bumping against the chain double: a transaction stuck below the market is replaced after the
 * timeout with the same nonce and higher fees, lands once, and whichever of the two transactions is
 * mined confirms the anchor.
 */
class FeeBumpTest {
  private final InMemoryAnchorQueue store = new InMemoryAnchorQueue();
  private final FakeAnchorChain chain = new FakeAnchorChain();
  private final List<ConfirmedAnchor> confirmed = new ArrayList<>();
  private final SteppingClock clock = new SteppingClock();

  /** A clock the test moves forward. */
  private static final class SteppingClock extends Clock {
    Instant now = Instant.parse("2026-12-01T12:00:00Z");

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

  private AnchorEngine engine() {
    return new AnchorEngine(
        store,
        chain,
        clock,
        1,
        Duration.ofSeconds(5),
        Optional.of(Duration.ofSeconds(60)),
        confirmed::add);
  }

  private static AnchorCheckpoint checkpoint(long size) {
    byte[] root = new byte[32];
    root[0] = (byte) size;
    return new AnchorCheckpoint(size, new RootHash(root));
  }

  private void tickAndMine(AnchorEngine engine, Duration later) {
    clock.now = clock.now.plus(later);
    engine.tick();
    chain.mine();
  }

  @Test
  void aStuckTransactionIsReplacedWithHigherFeesAndLandsOnce() throws Exception {
    chain.minFeeLevel = 1; // the market moved above the first transaction's fees
    AnchorEngine engine = engine();
    engine.enqueue(checkpoint(5));
    tickAndMine(engine, Duration.ZERO);
    tickAndMine(engine, Duration.ofSeconds(30)); // re-broadcast only: not yet the timeout
    assertThat(store.pending())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.state()).isEqualTo(AnchorEntry.State.SENT);
              assertThat(e.replacedHashes()).isEmpty();
            });

    tickAndMine(engine, Duration.ofSeconds(31)); // 61 s after signing: replaced, then mined
    engine.tick();

    assertThat(store.pending()).isEmpty();
    assertThat(chain.landings()).isEqualTo(Map.of(5L, 1));
    assertThat(chain.minedNonces()).containsExactly(0L);
    assertThat(confirmed)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.nonce()).isZero();
              assertThat(a.transactionHash()).isEqualTo("hash-0-5-bump1");
            });
  }

  @Test
  void theReplacedTransactionCanStillBeTheOneMined() throws Exception {
    chain.minFeeLevel = 1;
    chain.replacementEvicts = false; // both stay in the mempool
    AnchorEngine engine = engine();
    engine.enqueue(checkpoint(8));
    tickAndMine(engine, Duration.ZERO);
    clock.now = clock.now.plus(Duration.ofSeconds(61));
    engine.tick(); // replaced
    assertThat(store.pending().get(0).replacedHashes()).containsExactly("hash-0-8");

    chain.minFeeLevel = 0; // the market fell back: the old transaction is mined first
    chain.mine();
    engine.tick();

    assertThat(store.pending()).isEmpty();
    assertThat(chain.landings()).isEqualTo(Map.of(8L, 1));
    assertThat(confirmed)
        .singleElement()
        .satisfies(a -> assertThat(a.transactionHash()).isEqualTo("hash-0-8"));
  }
}
