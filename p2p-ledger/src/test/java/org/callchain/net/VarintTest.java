package org.callchain.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** multiformats unsigned-varint: examples from its README, minimality and the 9-byte cap. */
class VarintTest {
  @Test
  void encodesTheSpecExamples() {
    assertThat(Varint.encode(1)).containsExactly(0x01);
    assertThat(Varint.encode(127)).containsExactly(0x7f);
    assertThat(Varint.encode(128)).containsExactly(0x80, 0x01);
    assertThat(Varint.encode(255)).containsExactly(0xff, 0x01);
    assertThat(Varint.encode(300)).containsExactly(0xac, 0x02);
    assertThat(Varint.encode(16384)).containsExactly(0x80, 0x80, 0x01);
  }

  @Test
  void readsBackAndReportsIncompleteInput() {
    assertThat(Varint.read(ByteBuffer.wrap(Varint.encode(300)))).isEqualTo(300);
    ByteBuffer partial = ByteBuffer.wrap(new byte[] {(byte) 0x80});
    assertThat(Varint.read(partial)).isEqualTo(-1);
    assertThat(partial.position()).isZero();
  }

  @Test
  void rejectsNonMinimalAndOverlongVarints() {
    assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x00})))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] tooLong = new byte[10];
    java.util.Arrays.fill(tooLong, (byte) 0x80);
    assertThatThrownBy(() -> Varint.read(ByteBuffer.wrap(tooLong)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
