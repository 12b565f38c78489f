package org.callchain.node.cli;

import java.nio.file.Path;
import org.callchain.identity.DeviceKey;
import org.callchain.ledger.CallRecord;
import org.callchain.ledger.Checkpoint;
import org.callchain.ledger.Ledger;
import org.callchain.ledger.LedgerException;
import org.callchain.ledger.LedgerStore;
import org.callchain.node.LedgerCallSink;
import picocli.CommandLine.Option;

/**
 * The options with which {@code callchain phone} and {@code callchain call} sign a record of every
 * finished call into the device's ledger, and sign their outgoing INVITEs with the same device key
 * (RFC 8224 Identity, docs/identity.md). Recording is opt-in with {@code --data-dir} (the same
 * directory the {@code keys} and {@code ledger} commands use), so a load test or a quick call never
 * prompts for a keystore password it was not asked to use.
 */
final class CallLedgerOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Record every call in the device ledger under DIR (DIR/keystore.json from 'callchain"
              + " keys new', records in DIR/ledger).")
  Path dataDir;

  @Option(
      names = "--keystore-password-file",
      paramLabel = "FILE",
      description = "Read the keystore password from the first line of FILE.")
  Path passwordFile;

  @Option(
      names = "--keystore-password-env",
      paramLabel = "VAR",
      description = "Read the keystore password from environment variable VAR.")
  String passwordEnv;

  @Option(
      names = "--site",
      paramLabel = "NAME",
      description = "Location or site written into each record (default: none).")
  String site = "";

  /** The open ledger of a phone, or none when {@code --data-dir} was not given. */
  static final class CallLedger implements AutoCloseable {
    final Ledger ledger;
    final LedgerCallSink sink;
    final DeviceKey key;
    final Path dataDir;

    private CallLedger(Ledger ledger, LedgerCallSink sink, DeviceKey key, Path dataDir) {
      this.ledger = ledger;
      this.sink = sink;
      this.key = key;
      this.dataDir = dataDir;
    }

    @Override
    public void close() {
      ledger.close();
    }
  }

  /**
   * Unlocks the device key and opens its log, or returns null when no {@code --data-dir} was given.
   * Failures (no keystore, wrong password, corrupt store) are one-line {@link CliException}s.
   */
  CallLedger open(LedgerCallSink.Listener listener) {
    if (dataDir == null) {
      if (passwordFile != null || passwordEnv != null) {
        throw new CliException(
            "--keystore-password-file/--keystore-password-env need --data-dir", 2);
      }
      return null;
    }
    LedgerHome home = new LedgerHome();
    home.dataDir = dataDir;
    home.passwordFile = passwordFile;
    home.passwordEnv = passwordEnv;
    if (!java.nio.file.Files.isRegularFile(home.keystoreFile())) {
      throw new CliException(
          "no device key at "
              + home.keystoreFile()
              + " (create one with 'callchain keys new --data-dir "
              + dataDir
              + "')");
    }
    DeviceKey key = home.unlock();
    LedgerStore store = home.store();
    Ledger ledger = LedgerHome.open(store);
    try {
      return new CallLedger(
          ledger,
          new LedgerCallSink(ledger.ownLog(key), key.address(), site, listener),
          key,
          dataDir);
    } catch (LedgerException e) {
      ledger.close();
      throw new CliException(e.getMessage(), e);
    }
  }

  /** The line a phone prints once a call's record is committed. */
  static String recordedLine(CallRecord record, long leaf, Checkpoint checkpoint) {
    return "recorded call "
        + record.callId()
        + " as leaf "
        + leaf
        + " of "
        + checkpoint.device()
        + ", checkpoint size "
        + checkpoint.treeSize()
        + " root "
        + checkpoint.rootHash();
  }
}
