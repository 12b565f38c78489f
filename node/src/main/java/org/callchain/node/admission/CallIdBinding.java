package org.callchain.node.admission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Binds a PASSporT to one SIP request: its {@code origid} claim is a name-based UUID (RFC 4122
 * §4.3, version 5) of the INVITE's Call-ID in a Callchain namespace. The signer derives it from the
 * Call-ID it sends; the verifier derives it again from the Call-ID it received and refuses the
 * token (438) when they differ, so a token cannot be moved to another call. The Call-ID itself
 * (often {@code random@host}) is not disclosed by the token.
 *
 * <p>{@code origid} is a UUID as in SHAKEN (RFC 8588 §4), where it is an opaque origination
 * identifier; here its value is reproducible from the request instead of random.
 */
public final class CallIdBinding {
  /** The namespace UUID of Callchain Call-ID bindings (fixed forever; random when chosen). */
  public static final UUID NAMESPACE = UUID.fromString("0f0c8b3e-5d4a-4f6e-9a51-2c7d3b8e1a90");

  private CallIdBinding() {}

  /** The {@code origid} for {@code callId}: lowercase UUID text. */
  public static String origidFor(String callId) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(toBytes(NAMESPACE));
      sha1.update(callId.getBytes(StandardCharsets.UTF_8));
      byte[] h = sha1.digest();
      h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5 (RFC 4122 §4.1.3)
      h[8] = (byte) ((h[8] & 0x3f) | 0x80); // the RFC 4122 variant (§4.1.1)
      long msb = 0;
      long lsb = 0;
      for (int i = 0; i < 8; i++) {
        msb = (msb << 8) | (h[i] & 0xff);
        lsb = (lsb << 8) | (h[i + 8] & 0xff);
      }
      return new UUID(msb, lsb).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  private static byte[] toBytes(UUID u) {
    byte[] b = new byte[16];
    long msb = u.getMostSignificantBits();
    long lsb = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (msb >>> (56 - 8 * i));
      b[i + 8] = (byte) (lsb >>> (56 - 8 * i));
    }
    return b;
  }
}
