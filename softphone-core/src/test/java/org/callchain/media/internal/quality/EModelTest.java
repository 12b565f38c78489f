package org.callchain.media.internal.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simplified G.107 E-model: known points of the R and MOS curves. */
class EModelTest {

  @Test
  void defaultsGiveR93Point2AndMos4Point41() {
    assertEquals(93.2, EModel.rating(0, 0), 1e-9);
    assertEquals(4.41, EModel.mos(0, 0), 0.01);
  }

  @Test
  void mosMappingOfG107AnnexB() {
    assertEquals(1, EModel.mos(-5), 0);
    assertEquals(4.5, EModel.mos(100), 0);
    // R = 50: 1 + 1.75 + 50·(−10)·50·7e-6 = 2.575
    assertEquals(2.575, EModel.mos(50), 1e-9);
  }

  @Test
  void mosNeverFallsUnderOneWhereTheCubicDips() {
    // R = 3: 1 + 0.105 + 3·(−57)·97·7e-6 = 0.989, under the scale's floor of 1.
    assertEquals(1, EModel.mos(3), 0);
    for (double r = 0; r <= 100; r += 0.25) {
      assertTrue(EModel.mos(r) >= 1 && EModel.mos(r) <= 4.5, "MOS(" + r + ")");
    }
  }

  @Test
  void lossAndDelayLowerTheScore() {
    // 1% random loss with Bpl 25.1: Ie,eff = 95·1/26.1 = 3.64
    assertEquals(93.2 - 3.64, EModel.rating(0, 1), 0.01);
    // 200 ms one way: Id = 4.8 + 0.11·22.7 = 7.297
    assertEquals(93.2 - 7.297, EModel.rating(200, 0), 0.01);
    assertTrue(EModel.mos(300, 10) < 3.0);
    assertTrue(EModel.mos(40, 0) > 4.3);
  }
}
