package org.callchain.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.callchain.chain.ChainConfig;
import org.callchain.chain.ChainConnection;
import org.callchain.chain.ChainException;
import org.callchain.chain.Chains;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.identity.DeviceKey;
import org.callchain.node.admission.IdentityAdmission;
import org.callchain.node.admission.SipIdentity;
import org.callchain.node.admission.UnreachablePolicy;
import org.callchain.phone.spi.AdmissionHook;
import picocli.CommandLine.Option;

/**
 * How {@code callchain phone} admits calls by identity when it is given the chain ({@code --rpc
 * --registry --anchor}): which identities are this phone's, and the policy for an old registry
 * snapshot (docs/identity.md). Without chain options the phone keeps "no admission policy".
 */
final class AdmissionOptions {
  @Option(
      names = "--identity",
      paramLabel = "URI",
      description =
          "A SIP identity of this phone that a caller's PASSporT dest may name (repeatable;"
              + " default: sip:USER@BIND and the device's registered SIP identity).")
  List<String> identities;

  @Option(
      names = "--refuse-when-registry-older-than",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "Refuse every call (503) while the registry snapshot is older than this (default:"
              + " decide from the last synced snapshot, however old).")
  Duration maxSnapshotAge;

  /** The registry view and the hook built on it; closing stops following the chain. */
  static final class Admission implements AutoCloseable {
    final AdmissionHook hook;
    private final DeviceRegistryClient registry;
    private final ChainConnection connection;
    private final Path temporaryDir;

    private Admission(
        AdmissionHook hook,
        DeviceRegistryClient registry,
        ChainConnection connection,
        Path temporaryDir) {
      this.hook = hook;
      this.registry = registry;
      this.connection = connection;
      this.temporaryDir = temporaryDir;
    }

    @Override
    public void close() {
      registry.close();
      connection.close();
      if (temporaryDir != null) {
        deleteQuietly(temporaryDir);
      }
    }
  }

  /**
   * Connects to the chain and builds the admission hook. The registry snapshot lives in {@code
   * dataDir} when the phone has one (so it survives a restart), else in a new temporary directory.
   *
   * @param ownKey the phone's device key, or null; its registered SIP identity becomes one of the
   *     phone's identities
   */
  Admission open(
      ChainOptions chain,
      Path dataDir,
      DeviceKey ownKey,
      String user,
      String bind,
      PrintWriter out) {
    if (maxSnapshotAge != null && (maxSnapshotAge.isZero() || maxSnapshotAge.isNegative())) {
      throw new CliException("--refuse-when-registry-older-than must be positive", 2);
    }
    Path temporary = dataDir == null ? temporaryDir() : null;
    ChainConfig config = chain.config(dataDir != null ? dataDir : temporary);
    ChainConnection connection;
    DeviceRegistryClient registry;
    try {
      connection = ChainOptions.connect(config);
    } catch (RuntimeException e) {
      deleteQuietly(temporary);
      throw e;
    }
    try {
      registry = Chains.registry(connection, config);
    } catch (ChainException e) {
      connection.close();
      deleteQuietly(temporary);
      throw new CliException(e.getMessage());
    }
    try {
      try {
        registry.sync();
      } catch (ChainException e) {
        out.println("registry: cannot sync now, deciding from the snapshot: " + e.getMessage());
      }
      Set<String> local = localIdentities(registry, ownKey, user, bind);
      UnreachablePolicy policy =
          maxSnapshotAge == null
              ? UnreachablePolicy.DECIDE_FROM_SNAPSHOT
              : UnreachablePolicy.refuseWhenOlderThan(maxSnapshotAge);
      IdentityAdmission hook =
          new IdentityAdmission(registry, local, Clock.systemUTC(), policy, verdict -> {});
      out.println(
          "admission by identity: registry "
              + config.contracts().orElseThrow().registry()
              + " at block "
              + registry.freshness().syncedBlock()
              + ", identities "
              + local);
      return new Admission(hook, registry, connection, temporary);
    } catch (RuntimeException e) {
      registry.close();
      connection.close();
      deleteQuietly(temporary);
      throw e;
    }
  }

  private Set<String> localIdentities(
      DeviceRegistryClient registry, DeviceKey ownKey, String user, String bind) {
    Set<String> local = new LinkedHashSet<>();
    if (identities != null && !identities.isEmpty()) {
      for (String id : identities) {
        if (!SipIdentity.isValid(id)) {
          throw new CliException("--identity: not a SIP or tel URI: " + id, 2);
        }
        local.add(id);
      }
      return local;
    }
    String own = "sip:" + user + "@" + (bind.contains(":") ? "[" + bind + "]" : bind);
    local.add(own);
    if (ownKey != null) {
      registry
          .lookup(new DeviceAddress(ownKey.address().toBytes()))
          .map(DeviceRecord::sipIdentity)
          .filter(SipIdentity::isValid)
          .ifPresent(local::add);
    }
    return local;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover snapshot in the temporary directory holds only public registry data.
    }
  }

  private static Path temporaryDir() {
    try {
      return Files.createTempDirectory("callchain-registry-");
    } catch (IOException e) {
      throw new CliException("cannot create a directory for the registry snapshot: " + e);
    }
  }
}
