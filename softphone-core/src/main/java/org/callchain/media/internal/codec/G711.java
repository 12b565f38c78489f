package org.callchain.media.internal.codec;

/**
 * ITU-T G.711 companding of 16-bit linear PCM, bit-exact with the standard's Tables 1a/1b (A-law)
 * and 2a/2b (µ-law) and with the G.191 reference implementation's treatment of the low-order bits.
 *
 * <p>µ-law works on 14-bit magnitudes (the 16-bit sample shifted right by 2), A-law on 13-bit
 * magnitudes (shifted by 3). Negative inputs use the one's complement of the shifted value, as
 * G.191 does, so that the decision thresholds are symmetric around -1/2 LSB. The characters on the
 * line have the even bits inverted (A-law, XOR 0x55) or all bits inverted (µ-law), as the standard
 * prescribes.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-G.711">ITU-T G.711 (11/88)</a>
 */
public final class G711 {
  private static final short[] ULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];

  static {
    for (int c = 0; c < 256; c++) {
      ULAW_TO_LINEAR[c] = (short) ulawExpand(c);
      ALAW_TO_LINEAR[c] = (short) alawExpand(c);
    }
  }

  private G711() {}

  /** µ-law compression of one 16-bit sample (G.711 §3, Table 2a). */
  public static int linearToUlaw(int sample) {
    int x = sample >> 2; // 14-bit
    boolean negative = x < 0;
    int magnitude = (negative ? ~x : x) + 33; // bias so that segment ends are powers of two
    if (magnitude > 0x1FFF) {
      magnitude = 0x1FFF;
    }
    // magnitude is 33..8191, so magnitude >> 5 is 1..255 and its top bit is the segment 0..7
    int segment = 31 - Integer.numberOfLeadingZeros(magnitude >> 5);
    int quant = (magnitude >> (segment + 1)) & 0x0F;
    int code = (segment << 4) | quant;
    code = (~code) & 0x7F; // all bits are inverted on the line
    return negative ? code : code | 0x80;
  }

  /** A-law compression of one 16-bit sample (G.711 §2, Table 1a). */
  public static int linearToAlaw(int sample) {
    int x = sample >> 3; // 13-bit
    boolean negative = x < 0;
    int magnitude = negative ? ~x : x;
    if (magnitude > 0x0FFF) {
      magnitude = 0x0FFF;
    }
    int code;
    if (magnitude < 32) {
      code = magnitude >> 1;
    } else {
      int segment = 31 - Integer.numberOfLeadingZeros(magnitude) - 4; // 1..7
      code = (segment << 4) | ((magnitude >> segment) & 0x0F);
    }
    if (!negative) {
      code |= 0x80;
    }
    return code ^ 0x55; // even bits inverted on the line
  }

  public static short ulawToLinear(int code) {
    return ULAW_TO_LINEAR[code & 0xFF];
  }

  public static short alawToLinear(int code) {
    return ALAW_TO_LINEAR[code & 0xFF];
  }

  /** µ-law expansion: (2k+33)·2^s − 33 in 14-bit units, scaled to 16 bits (Table 2a). */
  private static int ulawExpand(int code) {
    int c = ~code & 0xFF;
    int segment = (c >> 4) & 0x07;
    int quant = c & 0x0F;
    int magnitude = (((2 * quant + 33) << segment) - 33) << 2;
    return (c & 0x80) != 0 ? -magnitude : magnitude;
  }

  /** A-law expansion: (2k+1) in segment 0, (2k+33)·2^(s−1) above, in 13-bit units (Table 1a). */
  private static int alawExpand(int code) {
    int c = code ^ 0x55;
    int segment = (c >> 4) & 0x07;
    int quant = c & 0x0F;
    int magnitude = segment == 0 ? 2 * quant + 1 : (2 * quant + 33) << (segment - 1);
    magnitude <<= 3;
    return (c & 0x80) != 0 ? magnitude : -magnitude;
  }
}
