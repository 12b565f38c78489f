package org.callchain.identity.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.passport.PassportClaims;
import org.junit.jupiter.api.Test;

/** The strict reading of PASSporT header and claims JSON (RFC 8225 §§ 4–5, RFC 8259). */
class PassportJsonTest {
  private static final DeviceAddress KID =
      DeviceAddress.parse("0x00112233445566778899aabbccddeeff00112233");
  private static final String ORIG = "{\"uri\":\"sip:alice@example.com\"}";
  private static final String DEST = "{\"uri\":[\"sip:bob@example.com\"]}";

  @Test
  void readsWhatItWrites() {
    PassportClaims c =
        new PassportClaims(
            "sip:alice@example.com:5071",
            List.of("sip:bob@example.com", "tel:+15551234567"),
            1764590400L,
            "0b4f8c2e-0f0a-5d1e-9a51-2c7d3b8e1a90");
    assertThat(PassportJson.claimsOf(PassportJson.claims(c))).isEqualTo(c);
    assertThat(PassportJson.kidOf(PassportJson.header(KID))).isEqualTo(KID);
  }

  @Test
  void ignoresMembersItDoesNotUseAndDecodesEscapes() {
    PassportClaims c =
        claims(
            "{\"attest\":\"A\",\"dest\":{\"uri\":[\"sip:b\\u006fb@x\"],\"tn\":[\"1\"]},"
                + "\"iat\":17,\"orig\":{\"tn\":\"1\",\"uri\":\"sip:a@x\"},\"origid\":\"o\","
                + "\"x\":{\"deep\":[1,{\"y\":null},true]}}");
    assertThat(c.dest()).containsExactly("sip:bob@x");
    assertThat(c.orig()).isEqualTo("sip:a@x");
    assertThat(c.iat()).isEqualTo(17);
  }

  @Test
  void refusesDuplicateMembersAtAnyDepthAndWhatIsNotAnObject() {
    assertClaimsRefused(body("\"iat\":1,\"iat\":2"), "not valid JSON");
    assertClaimsRefused(body("\"iat\":1,\"x\":{\"a\":1,\"a\":2}"), "not valid JSON");
    assertClaimsRefused("[1]", "not a JSON object");
    assertClaimsRefused("", "not a JSON object");
    assertClaimsRefused("{\"iat\":1", "not valid JSON");
  }

  @Test
  void saysWhichClaimIsWrong() {
    assertClaimsRefused(
        "{\"dest\":" + DEST + ",\"iat\":1,\"orig\":\"sip:a@x\",\"origid\":\"o\"}",
        "orig must be an object with a uri");
    assertClaimsRefused(
        "{\"dest\":[\"sip:b@x\"],\"iat\":1,\"orig\":" + ORIG + ",\"origid\":\"o\"}",
        "dest must be an object with a uri");
    assertClaimsRefused(
        "{\"dest\":" + DEST + ",\"iat\":1,\"orig\":{\"uri\":7},\"origid\":\"o\"}",
        "orig.uri must be a string");
    assertClaimsRefused(
        "{\"dest\":{\"uri\":[]},\"iat\":1,\"orig\":" + ORIG + ",\"origid\":\"o\"}",
        "dest.uri must be a non-empty array");
    assertClaimsRefused(
        "{\"dest\":{\"uri\":\"sip:b@x\"},\"iat\":1,\"orig\":" + ORIG + ",\"origid\":\"o\"}",
        "dest.uri must be a non-empty array");
    assertClaimsRefused(
        "{\"dest\":{\"uri\":[1]},\"iat\":1,\"orig\":" + ORIG + ",\"origid\":\"o\"}",
        "dest.uri must hold non-empty strings");
    assertClaimsRefused(
        "{\"dest\":{\"uri\":[\"\"]},\"iat\":1,\"orig\":" + ORIG + ",\"origid\":\"o\"}",
        "dest.uri must hold non-empty strings");
    assertClaimsRefused(body("\"iat\":1.5"), "iat must be an integer");
    assertClaimsRefused(body("\"iat\":\"17\""), "iat must be an integer");
    assertClaimsRefused(body("\"iat\":99999999999999999999"), "iat must be an integer");
    assertClaimsRefused(body("\"iat\":-1"), "bad claims: iat must not be negative");
    assertClaimsRefused(
        "{\"dest\":" + DEST + ",\"iat\":1,\"orig\":" + ORIG + "}", "origid must be a string");
    assertThat(claims(body("\"iat\":1.7E9")).iat()).isEqualTo(1_700_000_000L);
  }

  @Test
  void refusesHeadersThatAreNotEs256kPassports() {
    String kid = "\"kid\":\"" + KID.toHex() + "\"";
    assertHeaderRefused(
        "{\"alg\":\"HS256\"," + kid + ",\"typ\":\"passport\",\"x5u\":\"https://e\"}",
        "unsupported header member \"x5u\"");
    assertHeaderRefused("{\"alg\":\"HS256\"," + kid + ",\"typ\":\"passport\"}", "alg must be");
    assertHeaderRefused("{\"alg\":1," + kid + ",\"typ\":\"passport\"}", "header.alg must be");
    assertHeaderRefused("{\"alg\":\"ES256K\"," + kid + "}", "header.typ must be a string");
    assertHeaderRefused("{\"alg\":\"ES256K\",\"typ\":\"passport\"}", "header.kid must be");
    assertHeaderRefused(
        "{\"alg\":\"ES256K\",\"kid\":\"bob\",\"typ\":\"passport\"}", "not a device address");
    assertHeaderRefused(
        "{\"alg\":\"ES256K\"," + kid + ",\"typ\":\"passport\",\"alg\":\"ES256K\"}",
        "not valid JSON");
  }

  private static String body(String iat) {
    return "{\"dest\":" + DEST + "," + iat + ",\"orig\":" + ORIG + ",\"origid\":\"o\"}";
  }

  private static PassportClaims claims(String json) {
    return PassportJson.claimsOf(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertClaimsRefused(String json, String reason) {
    assertThatThrownBy(() -> claims(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  private static void assertHeaderRefused(String json, String reason) {
    assertThatThrownBy(() -> PassportJson.kidOf(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
