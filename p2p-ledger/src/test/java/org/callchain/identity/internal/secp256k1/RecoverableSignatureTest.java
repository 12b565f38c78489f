package org.callchain.identity.internal.secp256k1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * {@link RecoverableSignature} makes web3j's signature bytes, recovery id included, and what it
 * signs recovers to the signer's address.
 */
class RecoverableSignatureTest {
  private static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

  @Test
  void signsExactlyAsWeb3jSignMessageIncludingTheRecoveryId() {
    Random random = new Random(20261202);
    int flippedToLowS = 0;
    for (int i = 0; i < 200; i++) {
      ECKeyPair key =
          ECKeyPair.create(
              new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
      byte[] digest = new byte[32];
      random.nextBytes(digest);

      Sign.SignatureData web3j = Sign.signMessage(digest, key, false);
      RecoverableSignature ours = RecoverableSignature.sign(digest, key.getPrivateKey());

      assertThat(ours.r()).isEqualTo(web3j.getR());
      assertThat(ours.s()).isEqualTo(web3j.getS());
      assertThat(27 + ours.recoveryId()).isEqualTo(web3j.getV()[0]);
      assertThat(Secp256k1.sign(digest, key)).isEqualTo(ours.toRsv());
      if (ours.recoveryId() == 1) {
        flippedToLowS++;
      }
    }
    // Both parities occur, so both the kept and the flipped branch were compared.
    assertThat(flippedToLowS).isBetween(50, 150);
  }

  @Test
  void aSignatureRecoversToTheSignersAddress() {
    ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(0xC0FFEE));
    byte[] digest = Numeric.hexStringToByteArray("0x" + "ab".repeat(32));

    byte[] rsv = RecoverableSignature.sign(digest, key.getPrivateKey()).toRsv();

    assertThat(Secp256k1.recover(digest, rsv))
        .hasValueSatisfying(
            a -> assertThat(a).isEqualTo(Numeric.hexStringToByteArray(Keys.getAddress(key))));
  }

  @Test
  void refusesADigestOfTheWrongLengthAndAKeyOutOfRange() {
    assertThatThrownBy(() -> RecoverableSignature.sign(new byte[31], BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecoverableSignature.sign(new byte[32], N))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecoverableSignature.sign(new byte[32], BigInteger.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
