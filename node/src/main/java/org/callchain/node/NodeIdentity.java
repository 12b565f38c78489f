package org.callchain.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreException;
import org.callchain.identity.PasswordSource;
import org.callchain.identity.WrongPasswordException;
import org.callchain.identity.internal.web3j.Web3jDeviceKey;
import org.callchain.node.config.NodeConfig;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * The device's one key in its two forms: the {@link DeviceKey} that signs checkpoints, Identity
 * headers and the libp2p handshake, and the web3j {@link Credentials} that sign anchor
 * transactions. Both come from the same V3 keystore (design brief, "Identity: one key per device").
 *
 * @param key the signing key of the ledger, admission and libp2p
 * @param credentials the same key as a chain account
 */
public record NodeIdentity(DeviceKey key, Credentials credentials) {
  /** Environment variable with the keystore password when no password file is configured. */
  public static final String PASSWORD_ENV = "CALLCHAIN_KEYSTORE_PASSWORD";

  /**
   * Unlocks the configured keystore. scrypt runs once (64 MiB at the keystore's N=2^16): both forms
   * share the one decrypted key pair, which matters on a 160 MB heap.
   */
  public static NodeIdentity unlock(NodeConfig config) throws KeystoreException {
    Path keystore = config.resolve(config.device().keystore());
    PasswordSource source =
        config
            .device()
            .passwordFile()
            .map(f -> PasswordSource.file(config.resolve(f)))
            .orElse(PasswordSource.environment(PASSWORD_ENV));
    char[] password = source.read();
    try {
      // Checks the file and the password with the ledger's own messages (wrong password, ...).
      DeviceAddress address = DeviceKeystore.peekAddress(keystore);
      Credentials credentials;
      try {
        credentials = WalletUtils.loadCredentials(new String(password), keystore.toFile());
      } catch (CipherException e) {
        if (String.valueOf(e.getMessage()).contains("Invalid password")) {
          throw new WrongPasswordException("wrong password for keystore " + keystore);
        }
        throw new KeystoreException(
            "cannot unlock keystore " + keystore + ": " + e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        throw new KeystoreException("cannot open keystore " + keystore + ": " + e.getMessage(), e);
      }
      DeviceKey key = new Web3jDeviceKey(credentials.getEcKeyPair());
      if (!key.address().equals(address)) {
        throw new KeystoreException("keystore " + keystore + " holds another key than its address");
      }
      return new NodeIdentity(key, credentials);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The 32-byte secp256k1 secret, for the libp2p identity (same key as the device). */
  public byte[] secp256k1Secret() {
    byte[] bigEndian = credentials.getEcKeyPair().getPrivateKey().toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(32, bigEndian.length);
    System.arraycopy(bigEndian, bigEndian.length - copy, out, 32 - copy, copy);
    return out;
  }
}
