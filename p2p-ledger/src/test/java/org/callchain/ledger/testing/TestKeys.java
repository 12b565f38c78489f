package org.callchain.ledger.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.internal.web3j.Web3jDeviceKey;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;

/**
 * Deterministic device keys for tests: the same name always gives the same key, so failures
 * reproduce. Never use these outside tests; anyone can derive them.
 */
public final class TestKeys {
  private TestKeys() {}

  /** The key derived from {@code name}. */
  public static DeviceKey named(String name) {
    return new Web3jDeviceKey(pair(name));
  }

  /** The same key as {@link #named}, as a web3j chain account (to sign anchor statements). */
  public static Credentials credentials(String name) {
    return Credentials.create(pair(name));
  }

  private static ECKeyPair pair(String name) {
    try {
      byte[] seed =
          MessageDigest.getInstance("SHA-256")
              .digest(("callchain-test-key:" + name).getBytes(StandardCharsets.UTF_8));
      return ECKeyPair.create(new BigInteger(1, seed));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final DeviceKey ALICE = named("alice");
  public static final DeviceKey BOB = named("bob");
  public static final DeviceKey MALLORY = named("mallory");
  public static final DeviceKey CAROL = named("carol");
}
