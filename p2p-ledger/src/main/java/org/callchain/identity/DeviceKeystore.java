package org.callchain.identity;

import java.nio.file.Path;
import org.callchain.identity.internal.web3j.V3KeystoreFile;

/**
 * Creates and unlocks the device's Ethereum V3 keystore file (scrypt + AES-128-CTR, as geth and
 * web3j write it). Creating never overwrites an existing file; unlocking with a wrong password
 * fails with {@link WrongPasswordException} and leaves the file as it was.
 */
public final class DeviceKeystore {
  private DeviceKeystore() {}

  /**
   * Generates a new key and writes it to {@code file} (which must not exist yet), encrypted with
   * {@code password}.
   *
   * @return the unlocked new key
   */
  public static DeviceKey create(Path file, char[] password, KeystoreStrength strength)
      throws KeystoreException {
    return V3KeystoreFile.create(file, password, strength);
  }

  /** Unlocks the keystore at {@code file}. */
  public static DeviceKey unlock(Path file, char[] password) throws KeystoreException {
    return V3KeystoreFile.unlock(file, password);
  }

  /** Reads the address from the keystore without the password (V3 files carry it in clear). */
  public static DeviceAddress peekAddress(Path file) throws KeystoreException {
    return V3KeystoreFile.peekAddress(file);
  }
}
