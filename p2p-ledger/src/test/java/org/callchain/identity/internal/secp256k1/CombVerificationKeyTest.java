package org.callchain.identity.internal.secp256k1;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The comb verifier against Bouncy Castle's {@link ECDSASigner} on the same inputs: random keys and
 * digests, valid signatures (low and high {@code s}) and invalid ones (another digest, another key,
 * {@code r} or {@code s} changed, random values).
 */
class CombVerificationKeyTest {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger N = CURVE.getN();

  private final Random random = new Random(8812);

  @Test
  void decidesWhatBouncyCastleDecidesOnValidAndInvalidSignatures() {
    int accepted = 0;
    int refused = 0;
    for (int key = 0; key < 12; key++) {
      BigInteger d = scalar();
      ECPoint q = DOMAIN.getG().multiply(d).normalize();
      CombVerificationKey comb = new CombVerificationKey(q, DOMAIN.getG(), N);
      ECPoint other = DOMAIN.getG().multiply(scalar()).normalize();
      for (int m = 0; m < 25; m++) {
        byte[] digest = bytes(32);
        BigInteger[] rs = sign(d, digest);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        BigInteger[][] cases = {
          {r, s},
          {r, N.subtract(s)}, // the other s of the same signature (high or low)
          {r, s.add(BigInteger.ONE).mod(N).max(BigInteger.ONE)},
          {r.add(BigInteger.ONE).mod(N).max(BigInteger.ONE), s},
          {scalar(), scalar()},
        };
        for (BigInteger[] c : cases) {
          boolean expected = bouncyCastle(q, digest, c[0], c[1]);
          assertThat(comb.verify(digest, c[0], c[1])).isEqualTo(expected);
          if (expected) {
            accepted++;
          } else {
            refused++;
          }
        }
        byte[] otherDigest = digest.clone();
        otherDigest[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        assertThat(comb.verify(otherDigest, r, s)).isFalse();
        assertThat(bouncyCastle(q, otherDigest, r, s)).isFalse();
        assertThat(new CombVerificationKey(other, DOMAIN.getG(), N).verify(digest, r, s))
            .isEqualTo(bouncyCastle(other, digest, r, s))
            .isFalse();
      }
    }
    // Both signatures (s and n - s) of every message verify; the three altered ones never do.
    assertThat(accepted).isEqualTo(12 * 25 * 2);
    assertThat(refused).isEqualTo(12 * 25 * 3);
  }

  @Test
  void aRememberedKeyKeepsVerifyingThroughItsCombTables() throws Exception {
    ECKeyPair key = Keys.createEcKeyPair();
    byte[] address = Numeric.hexStringToByteArray(Keys.getAddress(key));
    for (int i = 0; i < 5; i++) {
      byte[] digest = bytes(32);
      byte[] rs = Secp256k1.signRs(digest, key);
      // First call recovers and remembers the key, the second builds its tables, later ones use
      // them: every path accepts the signature and refuses a changed digest.
      assertThat(Secp256k1.verifyRs(digest, rs, address)).isTrue();
      digest[0] ^= 1;
      assertThat(Secp256k1.verifyRs(digest, rs, address)).isFalse();
    }
  }

  private boolean bouncyCastle(ECPoint q, byte[] digest, BigInteger r, BigInteger s) {
    ECDSASigner v = new ECDSASigner();
    v.init(false, new ECPublicKeyParameters(q, DOMAIN));
    return v.verifySignature(digest, r, s);
  }

  private static BigInteger[] sign(BigInteger d, byte[] digest) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
    return signer.generateSignature(digest);
  }

  private BigInteger scalar() {
    BigInteger k;
    do {
      k = new BigInteger(256, random);
    } while (k.signum() == 0 || k.compareTo(N) >= 0);
    return k;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void readsTheAffineXModuloNFromJacobianCoordinatesIncludingAnXAboveN() {
    BigInteger p = CURVE.getCurve().getField().getCharacteristic();
    // A curve point whose x lies in [n, p): its x mod n is x - n, the branch random signatures
    // practically never reach (about 2^-128).
    ECPoint high = null;
    for (BigInteger x = N; high == null && x.compareTo(p) < 0; x = x.add(BigInteger.ONE)) {
      byte[] compressed = new byte[33];
      compressed[0] = 0x02;
      System.arraycopy(Numeric.toBytesPadded(x, 32), 0, compressed, 1, 32);
      try {
        high = CURVE.getCurve().decodePoint(compressed);
      } catch (IllegalArgumentException notOnCurve) {
        // x³ + 7 has no square root for this x; try the next one
      }
    }
    assertThat(high).isNotNull();
    BigInteger x = high.getAffineXCoord().toBigInteger();
    ECPoint jacobian = high.twice().subtract(high); // the same point with Z != 1
    assertThat(jacobian.getZCoord(0).isOne()).isFalse();

    assertThat(CombVerificationKey.affineXModNIs(jacobian, x.subtract(N), N)).isTrue();
    assertThat(CombVerificationKey.affineXModNIs(jacobian, x.subtract(N).add(BigInteger.ONE), N))
        .isFalse();
    ECPoint low = DOMAIN.getG().multiply(scalar());
    BigInteger lowX = low.normalize().getAffineXCoord().toBigInteger();
    ECPoint lowJacobian = low.twice().subtract(low);
    assertThat(CombVerificationKey.affineXModNIs(lowJacobian, lowX.mod(N), N)).isTrue();
    assertThat(
            CombVerificationKey.affineXModNIs(lowJacobian, lowX.mod(N).subtract(BigInteger.ONE), N))
        .isFalse();
  }
}
