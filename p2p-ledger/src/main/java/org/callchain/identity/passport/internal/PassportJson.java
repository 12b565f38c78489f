package org.callchain.identity.passport.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.passport.PassportClaims;

/**
 * The JSON of a PASSporT's JOSE header and claims. Written in the canonical form of RFC 8225 §9:
 * keys in lexicographic order at every level, no whitespace, so one set of claims has exactly one
 * signing input. Read strictly: duplicate keys, a missing member or a member of the wrong type is
 * an error ({@link IllegalArgumentException} with a one-line reason).
 */
public final class PassportJson {
  /** RFC 8812 §3.2. */
  public static final String ALG = "ES256K";

  /** RFC 8225 §4.1. */
  public static final String TYP = "passport";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> HEADER_MEMBERS = Set.of("alg", "kid", "typ");

  private PassportJson() {}

  /** {@code {"alg":"ES256K","kid":"0x…","typ":"passport"}} (RFC 8225 §4, no {@code ppt}). */
  public static byte[] header(DeviceAddress kid) {
    ObjectNode h = NODES.objectNode();
    h.put("alg", ALG);
    h.put("kid", kid.toHex());
    h.put("typ", TYP);
    return bytes(h);
  }

  /** {@code {"dest":{"uri":[…]},"iat":…,"orig":{"uri":…},"origid":…}} (RFC 8225 §5). */
  public static byte[] claims(PassportClaims c) {
    ObjectNode o = NODES.objectNode();
    ArrayNode dest = o.putObject("dest").putArray("uri");
    c.dest().forEach(dest::add);
    o.put("iat", c.iat());
    o.putObject("orig").put("uri", c.orig());
    o.put("origid", c.origid());
    return bytes(o);
  }

  /**
   * The {@code kid} of a header that names ES256K and type passport. A {@code ppt} (an extension
   * this verifier does not implement, RFC 8225 §8), an {@code x5u} (this trust model has no
   * certificates) or any other member is refused, as is {@code crit} (RFC 7515 §4.1.11).
   */
  public static DeviceAddress kidOf(byte[] headerJson) {
    JsonNode h = read(headerJson, "header");
    Iterator<String> names = h.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!HEADER_MEMBERS.contains(n)) {
        throw new IllegalArgumentException("unsupported header member \"" + n + "\"");
      }
    }
    String alg = text(h, "alg", "header");
    if (!ALG.equals(alg)) {
      throw new IllegalArgumentException("alg must be " + ALG + ", not " + alg);
    }
    String typ = text(h, "typ", "header");
    if (!TYP.equals(typ)) {
      throw new IllegalArgumentException("typ must be " + TYP + ", not " + typ);
    }
    String kid = text(h, "kid", "header");
    try {
      return DeviceAddress.parse(kid);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kid is not a device address: " + kid, e);
    }
  }

  /** The claims; {@code orig} and {@code dest} must use the {@code uri} form. */
  public static PassportClaims claimsOf(byte[] claimsJson) {
    JsonNode c = read(claimsJson, "claims");
    JsonNode orig = object(c, "orig");
    JsonNode dest = object(c, "dest");
    String origUri = text(orig, "uri", "orig");
    JsonNode destUris = dest.get("uri");
    if (destUris == null || !destUris.isArray() || destUris.isEmpty()) {
      throw new IllegalArgumentException("dest.uri must be a non-empty array");
    }
    List<String> destList = new ArrayList<>();
    for (JsonNode d : destUris) {
      if (!d.isTextual() || d.asText().isEmpty()) {
        throw new IllegalArgumentException("dest.uri must hold non-empty strings");
      }
      destList.add(d.asText());
    }
    JsonNode iat = c.get("iat");
    if (iat == null || !iat.canConvertToExactIntegral() || !iat.canConvertToLong()) {
      throw new IllegalArgumentException("iat must be an integer (NumericDate seconds)");
    }
    String origid = text(c, "origid", "claims");
    try {
      return new PassportClaims(origUri, destList, iat.longValue(), origid);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad claims: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(byte[] json, String what) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException(what + " is not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON", e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(what + " cannot be read", e);
    }
  }

  private static JsonNode object(JsonNode parent, String name) {
    JsonNode n = parent.get(name);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(name + " must be an object with a uri");
    }
    return n;
  }

  private static String text(JsonNode parent, String name, String where) {
    JsonNode n = parent.get(name);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(where + "." + name + " must be a string");
    }
    return n.asText();
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
