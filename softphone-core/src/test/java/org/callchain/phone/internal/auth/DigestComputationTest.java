package org.callchain.phone.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestComputationTest {

  /** RFC 2617 §3.5: the worked example with qop=auth. */
  @Test
  void matchesTheRfc2617Example() {
    String response =
        DigestComputation.response(
            DigestAlgorithm.MD5,
            "Mufasa",
            "testrealm@host.com",
            "Circle Of Life",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "GET",
            "/dir/index.html",
            "auth",
            "00000001",
            "0a4f113b");
    assertThat(response).isEqualTo("6629fae49393a05397450978507c4ef1");
  }

  /** RFC 7616 §3.9.1 (the SHA-256 algorithm RFC 8760 brings to SIP): the worked example. */
  @Test
  void matchesTheRfc7616Sha256Example() {
    String response =
        DigestComputation.response(
            DigestAlgorithm.SHA_256,
            "Mufasa",
            "http-auth@example.org",
            "Circle of Life",
            "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            "GET",
            "/dir/index.html",
            "auth",
            "00000001",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
    assertThat(response)
        .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  }

  /** RFC 2069 compatibility (no qop): response = H(HA1:nonce:HA2). */
  @Test
  void computesTheResponseWithoutQop() {
    String ha1 = DigestAlgorithm.MD5.hashHex("bob:biloxi.com:zanzibar");
    String ha2 = DigestAlgorithm.MD5.hashHex("INVITE:sip:bob@biloxi.com");
    String expected = DigestAlgorithm.MD5.hashHex(ha1 + ":abc:" + ha2);
    assertThat(
            DigestComputation.response(
                DigestAlgorithm.MD5,
                "bob",
                "biloxi.com",
                "zanzibar",
                "abc",
                "INVITE",
                "sip:bob@biloxi.com",
                null,
                null,
                null))
        .isEqualTo(expected);
  }

  @Test
  void readsAlgorithmTokensAndDefaultsToMd5() {
    assertThat(DigestAlgorithm.fromToken(null)).isEqualTo(DigestAlgorithm.MD5);
    assertThat(DigestAlgorithm.fromToken("md5-sess")).isEqualTo(DigestAlgorithm.MD5_SESS);
    assertThat(DigestAlgorithm.fromToken("SHA-256")).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(DigestAlgorithm.fromToken("SHA-512-256")).isNull();
  }

  @Test
  void formatsTheNonceCountAsEightHexDigits() {
    assertThat(DigestComputation.nonceCount(1)).isEqualTo("00000001");
    assertThat(DigestComputation.nonceCount(255)).isEqualTo("000000ff");
  }
}
