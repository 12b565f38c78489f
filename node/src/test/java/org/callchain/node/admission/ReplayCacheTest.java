package org.callchain.node.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.callchain.node.admission.internal.ReplayCache;
import org.callchain.node.admission.internal.ReplayCache.Result;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
  @Test
  void keepsATokenUntilItExpiresThenForgetsIt() {
    ReplayCache c = new ReplayCache(10);
    assertThat(c.reserve("a", 160, 100)).isEqualTo(Result.NEW);
    assertThat(c.reserve("a", 160, 150)).isEqualTo(Result.REPLAYED);
    assertThat(c.reserve("a", 160, 160)).isEqualTo(Result.REPLAYED);
    assertThat(c.reserve("a", 221, 161)).isEqualTo(Result.NEW);
  }

  @Test
  void isBoundedAndFreesSpaceAsEntriesExpire() {
    ReplayCache c = new ReplayCache(2);
    assertThat(c.reserve("a", 110, 100)).isEqualTo(Result.NEW);
    assertThat(c.reserve("b", 120, 100)).isEqualTo(Result.NEW);
    assertThat(c.reserve("c", 130, 100)).isEqualTo(Result.FULL);
    assertThat(c.reserve("c", 130, 111)).isEqualTo(Result.NEW);
    assertThat(c.size()).isEqualTo(2);
  }

  @Test
  void aReleasedReservationIsNoReplayAndItsStaleQueueEntryHarmsNothing() {
    ReplayCache c = new ReplayCache(1);
    for (int i = 0; i < 100; i++) {
      assertThat(c.reserve("a", 200 + i, 100)).isEqualTo(Result.NEW);
      c.release("a");
    }
    assertThat(c.size()).isZero();
    assertThat(c.reserve("a", 400, 250)).isEqualTo(Result.NEW);
    assertThat(c.reserve("a", 400, 260)).isEqualTo(Result.REPLAYED);
  }

  @Test
  void keysAreTheFirst128BitsOfTheSignature() {
    assertThat(ReplayCache.keyOf("x".repeat(86))).hasSize(22);
  }
}
