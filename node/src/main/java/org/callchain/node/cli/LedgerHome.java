package org.callchain.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.DeviceKeystore;
import org.callchain.identity.KeystoreException;
import org.callchain.identity.PasswordSource;
import org.callchain.ledger.CorruptStoreException;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerStore;
import org.callchain.ledger.Ledgers;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every ledger and key command shares: where the node keeps its data ({@code
 * --data-dir}, default {@code ~/.callchain}: the keystore {@code keystore.json} and the RocksDB
 * store {@code ledger/}), and where the keystore password comes from. Opening failures become one
 * line; nothing here ever creates or changes data unless the command writes.
 */
final class LedgerHome {
  @Option(
      names = "--data-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Node data directory (default: ~/.callchain).")
  Path dataDir = Path.of(System.getProperty("user.home"), ".callchain");

  @Option(
      names = "--keystore",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Device keystore (default: DIR/keystore.json).")
  Path keystore;

  @Option(
      names = "--password-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Read the keystore password from the first line of FILE.")
  Path passwordFile;

  @Option(
      names = "--password-env",
      scope = ScopeType.INHERIT,
      paramLabel = "VAR",
      description = "Read the keystore password from environment variable VAR.")
  String passwordEnv;

  Path keystoreFile() {
    return keystore != null ? keystore : dataDir.resolve("keystore.json");
  }

  Path storeDir() {
    return dataDir.resolve("ledger");
  }

  boolean passwordGiven() {
    return passwordFile != null || passwordEnv != null;
  }

  PasswordSource passwordSource(boolean confirm) {
    if (passwordFile != null && passwordEnv != null) {
      throw new CliException("use either --password-file or --password-env, not both", 2);
    }
    if (passwordFile != null) {
      return PasswordSource.file(passwordFile);
    }
    if (passwordEnv != null) {
      return PasswordSource.environment(passwordEnv);
    }
    return PasswordSource.console("Keystore password", confirm);
  }

  DeviceKey unlock() {
    try {
      char[] password = passwordSource(false).read();
      try {
        return DeviceKeystore.unlock(keystoreFile(), password);
      } finally {
        java.util.Arrays.fill(password, '\0');
      }
    } catch (KeystoreException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** The store for reading: it must exist already. */
  LedgerStore existingStore() {
    if (!Files.isDirectory(storeDir())) {
      throw new CliException(
          "no ledger at " + storeDir() + " (append records first, or pass --data-dir)");
    }
    return store();
  }

  LedgerStore store() {
    try {
      return Ledgers.rocksDbStore(storeDir());
    } catch (CorruptStoreException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** Opens the ledger over {@code store}, running the crash-recovery checks. */
  static Ledger open(LedgerStore store) {
    try {
      return Ledgers.open(store, Clock.systemUTC());
    } catch (CorruptStoreException e) {
      store.close();
      throw new CliException(e.getMessage() + " (run 'callchain audit' for every problem)", e);
    }
  }
}
