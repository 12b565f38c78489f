package org.callchain.chain.internal.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gas model against bench/chain's measurements (ADR 0052) and the break-even it implies. */
class AnchorGasTest {

  @Test
  void theBatchModelIsWithinTenGasOfEveryMeasuredBatchSize() {
    // bench/results/chain-20261201T152700Z.json: gas per device anchor by devices per tx
    Map<Integer, Long> perEntry =
        Map.of(
            1, 42_488L, 2, 29_473L, 3, 25_133L, 4, 22_968L, 8, 19_708L, 16, 18_080L, 32, 17_265L,
            64, 16_859L);
    perEntry.forEach(
        (n, gas) ->
            assertThat((double) AnchorGas.batch(n) / n)
                .as("%d entries", n)
                .isCloseTo(gas, within(10.0)));
  }

  @Test
  void aBatchOfOneIsNeverWorthItAndTwoDueEntriesAlwaysAre() {
    assertThat(AnchorGas.batchNoDearerThanSingle(1, 0, 0)).isFalse();
    assertThat(AnchorGas.batchNoDearerThanSingle(2, 0, 0)).isTrue();
    assertThat(AnchorGas.batchNoDearerThanSingle(2, 1, 0.15)).isTrue();
  }

  @Test
  void oneDueEntryTakesAPartnerOnlyIfThePartnersShareOfItsNextAnchorPaysForTheBatch() {
    // 58,950 for two entries against 35,134 now + the used-up share of the partner's next 35,134
    assertThat(AnchorGas.batchNoDearerThanSingle(1, 1, 43 / 64.0)).isFalse();
    assertThat(AnchorGas.batchNoDearerThanSingle(1, 1, 44 / 64.0)).isTrue();
    assertThat(AnchorGas.batchNoDearerThanSingle(1, 3, 3 * 35 / 64.0)).isTrue();
  }
}
