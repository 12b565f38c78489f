package org.callchain.identity.internal.web3j;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.KeystoreException;
import org.callchain.identity.KeystoreStrength;
import org.callchain.identity.WrongPasswordException;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * Ethereum V3 keystore files through web3j's {@link Wallet}. A new file is written to a temporary
 * sibling and moved into place atomically, and only if no file exists there, so an existing
 * keystore is never replaced.
 */
public final class V3KeystoreFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private V3KeystoreFile() {}

  public static DeviceKey create(Path file, char[] password, KeystoreStrength strength)
      throws KeystoreException {
    if (Files.exists(file)) {
      throw new KeystoreException("keystore " + file + " already exists; not overwriting it");
    }
    try {
      ECKeyPair keyPair = Keys.createEcKeyPair();
      WalletFile wallet =
          Wallet.create(new String(password), keyPair, strength.scryptN(), strength.scryptP());
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".keystore", ".tmp");
      try {
        Files.write(tmp, JSON.writeValueAsBytes(wallet), StandardOpenOption.SYNC);
        // ATOMIC_MOVE onto an existing name would replace it; check again right before the move.
        if (Files.exists(file)) {
          throw new FileAlreadyExistsException(file.toString());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return new Web3jDeviceKey(keyPair);
    } catch (FileAlreadyExistsException e) {
      throw new KeystoreException("keystore " + file + " already exists; not overwriting it");
    } catch (IOException e) {
      throw new KeystoreException("cannot write keystore " + file + ": " + e.getMessage(), e);
    } catch (CipherException
        | InvalidAlgorithmParameterException
        | NoSuchAlgorithmException
        | NoSuchProviderException e) {
      throw new KeystoreException("cannot create a key: " + e.getMessage(), e);
    }
  }

  public static DeviceKey unlock(Path file, char[] password) throws KeystoreException {
    WalletFile wallet = read(file);
    try {
      return new Web3jDeviceKey(Wallet.decrypt(new String(password), wallet));
    } catch (CipherException e) {
      if (String.valueOf(e.getMessage()).contains("Invalid password")) {
        throw new WrongPasswordException("wrong password for keystore " + file);
      }
      throw new KeystoreException("cannot unlock keystore " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new KeystoreException("keystore " + file + " is malformed: " + e.getMessage(), e);
    }
  }

  public static DeviceAddress peekAddress(Path file) throws KeystoreException {
    WalletFile wallet = read(file);
    try {
      return DeviceAddress.parse("0x" + wallet.getAddress());
    } catch (RuntimeException e) {
      throw new KeystoreException("keystore " + file + " has no valid address", e);
    }
  }

  private static WalletFile read(Path file) throws KeystoreException {
    try {
      return JSON.readValue(file.toFile(), WalletFile.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new KeystoreException(
          "no keystore at " + file + " (create one with 'callchain keys new')");
    } catch (IOException e) {
      throw new KeystoreException("keystore " + file + " is not a V3 keystore JSON file", e);
    }
  }
}
