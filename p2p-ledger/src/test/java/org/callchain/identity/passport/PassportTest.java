package org.callchain.identity.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.SigningDomain;
import org.callchain.identity.internal.web3j.Web3jDeviceKey;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

class PassportTest {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  // A fixed private scalar, so the test vector below is reproducible by any ES256K library.
  private static final BigInteger PRIVATE =
      new BigInteger("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", 16);
  private static final DeviceKey KEY = new Web3jDeviceKey(ECKeyPair.create(PRIVATE));
  private static final PassportClaims CLAIMS =
      new PassportClaims(
          "sip:alice@example.com",
          List.of("sip:bob@example.com"),
          1_764_590_400L,
          "7b1c0e4e-6a3b-5d1e-9c2f-0123456789ab");
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

  @Test
  void headerAndClaimsAreCanonicalJson() {
    String[] parts = Passports.sign(KEY, CLAIMS).token().split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(new String(B64.decode(parts[0]), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"alg\":\"ES256K\",\"kid\":\"" + KEY.address().toHex() + "\",\"typ\":\"passport\"}");
    assertThat(new String(B64.decode(parts[1]), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"dest\":{\"uri\":[\"sip:bob@example.com\"]},\"iat\":1764590400,"
                + "\"orig\":{\"uri\":\"sip:alice@example.com\"},"
                + "\"origid\":\"7b1c0e4e-6a3b-5d1e-9c2f-0123456789ab\"}");
    assertThat(B64.decode(parts[2])).hasSize(64);
  }

  @Test
  void signatureIsTheSameAsAnIndependentRfc6979EcdsaSignerMakes() throws Exception {
    String token = Passports.sign(KEY, CLAIMS).token();
    int last = token.lastIndexOf('.');
    byte[] input = token.substring(0, last).getBytes(StandardCharsets.US_ASCII);
    byte[] ours = B64.decode(token.substring(last + 1));
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(input);

    // BouncyCastle's own ECDSA with RFC 6979 nonces over SHA-256(signing input), s made low
    // (RFC 8812 §3.2 via RFC 7518 §3.4): the same 64 bytes.
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(PRIVATE, DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    BigInteger s =
        rs[1].compareTo(CURVE.getN().shiftRight(1)) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    assertThat(ours).isEqualTo(concat(fixed32(rs[0]), fixed32(s)));

    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(CURVE.getG().multiply(PRIVATE), DOMAIN));
    assertThat(
            verifier.verifySignature(
                digest,
                new BigInteger(1, Arrays.copyOfRange(ours, 0, 32)),
                new BigInteger(1, Arrays.copyOfRange(ours, 32, 64))))
        .isTrue();
  }

  @Test
  void signingIsDeterministicAndVerifiesForTheKid() throws Exception {
    Passport p = Passports.sign(KEY, CLAIMS);
    assertThat(Passports.sign(KEY, CLAIMS).token()).isEqualTo(p.token());
    Passport verified = Passports.verify(p.token());
    assertThat(verified.kid()).isEqualTo(KEY.address());
    assertThat(verified.claims()).isEqualTo(CLAIMS);
    assertThat(verified.signaturePart()).isEqualTo(p.token().split("\\.")[2]);
  }

  @Test
  void aMutatedClaimBreaksTheSignature() {
    String[] parts = Passports.sign(KEY, CLAIMS).token().split("\\.");
    String claims = new String(B64.decode(parts[1]), StandardCharsets.UTF_8);
    String forged =
        B64E.encodeToString(claims.replace("bob", "eve").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Passports.verify(parts[0] + "." + forged + "." + parts[2]))
        .isInstanceOfSatisfying(
            InvalidPassportException.class, e -> assertThat(e.badSignature()).isTrue());
  }

  @Test
  void anotherKidDoesNotVerify() {
    DeviceKey other = new Web3jDeviceKey(ECKeyPair.create(PRIVATE.add(BigInteger.ONE)));
    String[] mine = Passports.sign(KEY, CLAIMS).token().split("\\.");
    String[] theirs = Passports.sign(other, CLAIMS).token().split("\\.");
    assertThatThrownBy(() -> Passports.verify(theirs[0] + "." + mine[1] + "." + mine[2]))
        .isInstanceOfSatisfying(
            InvalidPassportException.class, e -> assertThat(e.badSignature()).isTrue());
  }

  @Test
  void theHighSTwinOfAValidSignatureIsRefused() {
    String token = Passports.sign(KEY, CLAIMS).token();
    int last = token.lastIndexOf('.');
    byte[] rs = B64.decode(token.substring(last + 1));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64));
    byte[] twin = concat(Arrays.copyOf(rs, 32), fixed32(CURVE.getN().subtract(s)));
    assertThatThrownBy(
            () -> Passports.verify(token.substring(0, last + 1) + B64E.encodeToString(twin)))
        .isInstanceOfSatisfying(
            InvalidPassportException.class, e -> assertThat(e.badSignature()).isTrue());
  }

  @Test
  void onceTheKeyIsRememberedForgeriesStillFail() throws Exception {
    DeviceKey key = new Web3jDeviceKey(ECKeyPair.create(PRIVATE.add(BigInteger.TWO)));
    String token = Passports.sign(key, CLAIMS).token();
    Passports.verify(token); // recovers the key and remembers it
    Passports.verify(token); // verifies with the remembered key
    String[] parts = token.split("\\.");
    String claims = new String(B64.decode(parts[1]), StandardCharsets.UTF_8);
    String forged =
        B64E.encodeToString(claims.replace("alice", "mallory").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Passports.verify(parts[0] + "." + forged + "." + parts[2]))
        .isInstanceOfSatisfying(
            InvalidPassportException.class, e -> assertThat(e.badSignature()).isTrue());
    byte[] rs = B64.decode(parts[2]);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64));
    byte[] twin = concat(Arrays.copyOf(rs, 32), fixed32(CURVE.getN().subtract(s)));
    assertThatThrownBy(
            () -> Passports.verify(parts[0] + "." + parts[1] + "." + B64E.encodeToString(twin)))
        .isInstanceOf(InvalidPassportException.class);
  }

  @Test
  void malformedTokensSayWhy() {
    String[] parts = Passports.sign(KEY, CLAIMS).token().split("\\.");
    String hs256 =
        B64E.encodeToString(
            ("{\"alg\":\"HS256\",\"kid\":\"" + KEY.address().toHex() + "\",\"typ\":\"passport\"}")
                .getBytes(StandardCharsets.UTF_8));
    String withX5u =
        B64E.encodeToString(
            ("{\"alg\":\"ES256K\",\"kid\":\""
                    + KEY.address().toHex()
                    + "\",\"typ\":\"passport\",\"x5u\":\"https://evil\"}")
                .getBytes(StandardCharsets.UTF_8));
    String noOrigid =
        B64E.encodeToString(
            "{\"dest\":{\"uri\":[\"sip:b@x\"]},\"iat\":1,\"orig\":{\"uri\":\"sip:a@x\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertMalformed("garbage", "not a JWS compact serialization");
    assertMalformed(parts[0] + "." + parts[1], "not a JWS compact serialization");
    assertMalformed(parts[0] + "." + parts[1] + ".", "signature part is empty");
    assertMalformed(hs256 + "." + parts[1] + "." + parts[2], "alg must be ES256K");
    assertMalformed(withX5u + "." + parts[1] + "." + parts[2], "unsupported header member \"x5u\"");
    assertMalformed(parts[0] + "." + noOrigid + "." + parts[2], "origid must be a string");
    assertMalformed(parts[0] + "." + parts[1] + "." + parts[2] + "AA", "64 bytes");
    assertMalformed(parts[0] + "=." + parts[1] + "." + parts[2], "base64url");
    assertMalformed("a".repeat(Passports.MAX_TOKEN_LENGTH + 1), "longer than");
  }

  @Test
  void domainLabelsCanNeverStartLikeAJwsSigningInput() {
    // ADR 0080: a label's length byte precedes it in every domain digest; base64url starts at 0x2D.
    for (SigningDomain d : SigningDomain.values()) {
      assertThat(d.label().length()).isLessThan('-');
    }
  }

  private static void assertMalformed(String token, String reason) {
    assertThatThrownBy(() -> Passports.verify(token))
        .isInstanceOfSatisfying(
            InvalidPassportException.class,
            e -> {
              assertThat(e.badSignature()).isFalse();
              assertThat(e.getMessage()).contains(reason);
            });
  }

  private static byte[] fixed32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
