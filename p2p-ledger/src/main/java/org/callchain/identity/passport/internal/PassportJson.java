package org.callchain.identity.passport.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  private static final ObjectMapper MAPPER = new ObjectMapper();
  // Read with the streaming parser, not the tree model: no tree is built per token, and the
  // parser refuses a duplicate member at any depth (RFC 8259 §4 leaves duplicates undefined).
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
    String unsupported = null;
    Member alg = Member.ABSENT;
    Member kid = Member.ABSENT;
    Member typ = Member.ABSENT;
    try (JsonParser p = open(headerJson, "header")) {
      while (nextMember(p, "header")) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "alg" -> alg = Member.of(p, value);
          case "kid" -> kid = Member.of(p, value);
          case "typ" -> typ = Member.of(p, value);
          default -> {
            unsupported = unsupported == null ? name : unsupported;
            p.skipChildren();
          }
        }
      }
      end(p, "header");
    } catch (IOException e) {
      throw unreadable("header", e);
    }
    if (unsupported != null) {
      throw new IllegalArgumentException("unsupported header member \"" + unsupported + "\"");
    }
    String algName = alg.text("header.alg");
    if (!ALG.equals(algName)) {
      throw new IllegalArgumentException("alg must be " + ALG + ", not " + algName);
    }
    String typName = typ.text("header.typ");
    if (!TYP.equals(typName)) {
      throw new IllegalArgumentException("typ must be " + TYP + ", not " + typName);
    }
    String kidText = kid.text("header.kid");
    try {
      return DeviceAddress.parse(kidText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kid is not a device address: " + kidText, e);
    }
  }

  /**
   * The claims; {@code orig} and {@code dest} must use the {@code uri} form. Members this verifier
   * does not use (here and inside {@code orig} and {@code dest}) are read and ignored.
   */
  public static PassportClaims claimsOf(byte[] claimsJson) {
    Member orig = Member.ABSENT;
    Member origUri = Member.ABSENT;
    Member dest = Member.ABSENT;
    List<String> destUris = null;
    boolean badDestUri = false;
    Member origid = Member.ABSENT;
    Long iat = null;
    try (JsonParser p = open(claimsJson, "claims")) {
      while (nextMember(p, "claims")) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "orig" -> {
            orig = value == JsonToken.START_OBJECT ? Member.OBJECT : Member.of(p, value);
            origUri = Member.ABSENT;
            if (orig.isObject()) {
              while (nextMember(p, "orig")) {
                boolean uri = p.currentName().equals("uri");
                Member m = Member.of(p, p.nextToken());
                origUri = uri ? m : origUri;
              }
            }
          }
          case "dest" -> {
            dest = value == JsonToken.START_OBJECT ? Member.OBJECT : Member.of(p, value);
            destUris = null;
            badDestUri = false;
            if (dest.isObject()) {
              while (nextMember(p, "dest")) {
                boolean uri = p.currentName().equals("uri");
                JsonToken t = p.nextToken();
                if (!uri || t != JsonToken.START_ARRAY) {
                  p.skipChildren();
                  destUris = uri ? null : destUris;
                  continue;
                }
                destUris = new ArrayList<>(2);
                badDestUri = false;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                  if (e == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
                    destUris.add(p.getText());
                  } else {
                    badDestUri = true;
                    p.skipChildren();
                  }
                }
              }
            }
          }
          case "iat" -> iat = integral(p, value);
          case "origid" -> origid = Member.of(p, value);
          default -> p.skipChildren();
        }
      }
      end(p, "claims");
    } catch (IOException e) {
      throw unreadable("claims", e);
    }
    if (!orig.isObject()) {
      throw new IllegalArgumentException("orig must be an object with a uri");
    }
    if (!dest.isObject()) {
      throw new IllegalArgumentException("dest must be an object with a uri");
    }
    String origText = origUri.text("orig.uri");
    if (destUris == null || destUris.isEmpty() && !badDestUri) {
      throw new IllegalArgumentException("dest.uri must be a non-empty array");
    }
    if (badDestUri) {
      throw new IllegalArgumentException("dest.uri must hold non-empty strings");
    }
    if (iat == null) {
      throw new IllegalArgumentException("iat must be an integer (NumericDate seconds)");
    }
    String origidText = origid.text("claims.origid");
    try {
      return new PassportClaims(origText, destUris, iat, origidText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad claims: " + e.getMessage(), e);
    }
  }

  /**
   * A member's value as far as these checks need it: a string's text, or only its kind. {@link #of}
   * skips past a structured value (the parser still checks its members for duplicates); an object
   * that the caller reads itself is {@link #OBJECT}.
   */
  private record Member(JsonToken kind, String text) {
    static final Member ABSENT = new Member(null, null);
    static final Member OBJECT = new Member(JsonToken.START_OBJECT, null);

    static Member of(JsonParser p, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_STRING) {
        return new Member(value, p.getText());
      }
      p.skipChildren();
      return new Member(value, null);
    }

    boolean isObject() {
      return kind == JsonToken.START_OBJECT;
    }

    String text(String where) {
      if (text == null) {
        throw new IllegalArgumentException(where + " must be a string");
      }
      return text;
    }
  }

  /**
   * An {@code iat} value that is an integer in the long range (a number written with a fraction or
   * exponent counts when its value is integral), or null.
   */
  private static Long integral(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
    }
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      boolean exact = !Double.isInfinite(d) && d == Math.rint(d);
      return exact && d >= Long.MIN_VALUE && d <= Long.MAX_VALUE ? (long) d : null;
    }
    p.skipChildren();
    return null;
  }

  /** A parser positioned inside the top-level object of {@code json}. */
  private static JsonParser open(byte[] json, String what) throws IOException {
    JsonParser p = JSON.createParser(json);
    try {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(what + " is not a JSON object");
      }
      return p;
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** Moves to the next member name of the current object; false at its end. */
  private static boolean nextMember(JsonParser p, String what) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.FIELD_NAME) {
      return true;
    }
    if (t == JsonToken.END_OBJECT) {
      return false;
    }
    throw new IllegalArgumentException(what + " is not valid JSON");
  }

  /** Nothing may follow the top-level object (RFC 8259 §2: one JSON text). */
  private static void end(JsonParser p, String what) throws IOException {
    if (p.nextToken() != null) {
      throw new IllegalArgumentException(what + " is not valid JSON: text after the object");
    }
  }

  private static IllegalArgumentException unreadable(String what, IOException e) {
    return new IllegalArgumentException(what + " is not valid JSON", e);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
