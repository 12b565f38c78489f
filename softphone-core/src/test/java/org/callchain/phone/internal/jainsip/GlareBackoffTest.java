package org.callchain.phone.internal.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.callchain.phone.CallDirection;
import org.junit.jupiter.api.Test;

/** RFC 3261 §14.1: the two sides of a glare retry in disjoint ranges of 10 ms steps. */
class GlareBackoffTest {
  @Test
  void callerOwnsTheCallIdAndWaitsTwoPointOneToFourSeconds() {
    TreeSet<Long> seen = draws(CallDirection.OUTGOING);
    assertThat(seen.first()).isEqualTo(2100L);
    assertThat(seen.last()).isEqualTo(4000L);
    assertThat(seen).allMatch(d -> d % 10 == 0).hasSize(191);
  }

  @Test
  void calleeWaitsZeroToTwoSeconds() {
    TreeSet<Long> seen = draws(CallDirection.INCOMING);
    assertThat(seen.first()).isEqualTo(0L);
    assertThat(seen.last()).isEqualTo(2000L);
    assertThat(seen).allMatch(d -> d % 10 == 0).hasSize(201);
  }

  private static TreeSet<Long> draws(CallDirection direction) {
    SplittableRandom random = new SplittableRandom(3261);
    TreeSet<Long> seen = new TreeSet<>();
    for (int i = 0; i < 20_000; i++) {
      seen.add(GlareBackoff.retryDelayMillis(direction, random));
    }
    return seen;
  }
}
