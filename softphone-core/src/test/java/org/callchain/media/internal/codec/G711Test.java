package org.callchain.media.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * G.711 against the standard's tables. Expected values are computed here from ITU-T G.711 Table 1a
 * (A-law: segment 0 decision values 0, 2, …, 30 with outputs 2k+1; segment s ≥ 1 intervals
 * [(16+k)·2^s, (17+k)·2^s) with outputs (2k+33)·2^(s−1), 13-bit magnitudes) and Table 2a (µ-law:
 * intervals where (m+33) lies in [(16+k)·2^(s+1), (17+k)·2^(s+1)), outputs (2k+33)·2^s − 33, 14-bit
 * magnitudes), independently of the implementation. Negative inputs use the one's complement
 * magnitude of the G.191 reference code.
 */
class G711Test {

  @Test
  void ulawDecoderOutputsMatchTable2a() {
    for (int s = 0; s < 8; s++) {
      for (int k = 0; k < 16; k++) {
        int magnitude14 = ((2 * k + 33) << s) - 33;
        int positiveCode = 0x80 | (~((s << 4) | k) & 0x7F);
        int negativeCode = ~((s << 4) | k) & 0x7F;
        assertEquals(magnitude14 * 4, G711.ulawToLinear(positiveCode), "code " + positiveCode);
        assertEquals(-magnitude14 * 4, G711.ulawToLinear(negativeCode), "code " + negativeCode);
      }
    }
  }

  @Test
  void alawDecoderOutputsMatchTable1a() {
    for (int s = 0; s < 8; s++) {
      for (int k = 0; k < 16; k++) {
        int magnitude13 = s == 0 ? 2 * k + 1 : (2 * k + 33) << (s - 1);
        int positiveCode = (0x80 | (s << 4) | k) ^ 0x55;
        int negativeCode = ((s << 4) | k) ^ 0x55;
        assertEquals(magnitude13 * 8, G711.alawToLinear(positiveCode));
        assertEquals(-magnitude13 * 8, G711.alawToLinear(negativeCode));
      }
    }
  }

  @Test
  void ulawEncoderPicksTheTable2aIntervalForEverySixteenBitInput() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int shifted = x >> 2;
      boolean negative = shifted < 0;
      int m = Math.min(negative ? ~shifted : shifted, 8158);
      int expected = -1;
      for (int s = 0; s < 8 && expected < 0; s++) {
        for (int k = 0; k < 16; k++) {
          int lower = ((16 + k) << (s + 1)) - 33;
          int upper = ((17 + k) << (s + 1)) - 33;
          if (m >= lower && m < upper) {
            expected = ~((s << 4) | k) & 0x7F;
            break;
          }
        }
      }
      assertTrue(expected >= 0, "no interval for " + m);
      if (!negative) {
        expected |= 0x80;
      }
      assertEquals(expected, G711.linearToUlaw(x), "input " + x);
    }
  }

  @Test
  void alawEncoderPicksTheTable1aIntervalForEverySixteenBitInput() {
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int shifted = x >> 3;
      boolean negative = shifted < 0;
      int m = negative ? ~shifted : shifted;
      int code;
      if (m < 32) {
        code = m / 2;
      } else {
        code = -1;
        for (int s = 1; s < 8 && code < 0; s++) {
          for (int k = 0; k < 16; k++) {
            if (m >= (16 + k) << s && m < (17 + k) << s) {
              code = (s << 4) | k;
              break;
            }
          }
        }
      }
      assertTrue(code >= 0, "no interval for " + m);
      int expected = (negative ? code : 0x80 | code) ^ 0x55;
      assertEquals(expected, G711.linearToAlaw(x), "input " + x);
    }
  }

  @Test
  void knownCodewordsOfTheStandard() {
    // µ-law: zero is 0xFF (and 0x7F, negative zero); full scale is 0x80 / 0x00, output ±8031·4
    assertEquals(0xFF, G711.linearToUlaw(0));
    assertEquals(0, G711.ulawToLinear(0x7F));
    assertEquals(0x80, G711.linearToUlaw(32767));
    assertEquals(0x00, G711.linearToUlaw(-32768));
    assertEquals(32124, G711.ulawToLinear(0x80));
    assertEquals(-32124, G711.ulawToLinear(0x00));
    // A-law: the smallest positive value is 0xD5, negative 0x55; full scale 0xAA / 0x2A, ±4032·8
    assertEquals(0xD5, G711.linearToAlaw(0));
    assertEquals(0x55, G711.linearToAlaw(-1));
    assertEquals(0xAA, G711.linearToAlaw(32767));
    assertEquals(0x2A, G711.linearToAlaw(-32768));
    assertEquals(8, G711.alawToLinear(0xD5));
    assertEquals(32256, G711.alawToLinear(0xAA));
    assertEquals(-32256, G711.alawToLinear(0x2A));
  }

  @Test
  void decodingThenEncodingGivesTheSameCodeword() {
    for (int c = 0; c < 256; c++) {
      assertEquals(c, G711.linearToAlaw(G711.alawToLinear(c)), "A-law " + c);
      int expectedU = c == 0x7F ? 0xFF : c; // negative zero re-encodes as positive zero
      assertEquals(expectedU, G711.linearToUlaw(G711.ulawToLinear(c)), "u-law " + c);
    }
  }
}
