package org.callchain.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The ledger's id of a call: SHA-256 over the SIP dialog identifiers (RFC 3261 §12: Call-ID, local
 * tag, remote tag). Both ends of a call compute the same id, because the tags are ordered (From-tag
 * first, then To-tag), which lets an audit correlate the caller's and callee's records. The hash
 * keeps Call-IDs, which may embed host names, out of replicated records.
 */
public record CallId(Hash256 hash) {
  private static final String DOMAIN = "callchain/call-id/v1";

  public CallId {
    java.util.Objects.requireNonNull(hash, "hash");
  }

  /** The id of the dialog {@code callId} with tags {@code fromTag} and {@code toTag}. */
  public static CallId of(String sipCallId, String fromTag, String toTag) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {DOMAIN, sipCallId, fromTag, toTag}) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefix every part so ("ab","c") and ("a","bc") hash differently.
        sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16)});
        sha.update(new byte[] {(byte) (b.length >>> 8), (byte) b.length});
        sha.update(b);
      }
      return new CallId(Hash256.wrap(sha.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Parses 64 hex digits (the form {@link #toString()} prints). */
  public static CallId parse(String hex) {
    return new CallId(Hash256.parse(hex.strip()));
  }

  @Override
  public String toString() {
    return hash.toHex();
  }
}
