package org.callchain.chain.internal.web3j;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.DeviceAddress;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceStatus;

/**
 * The registry as last synced, in one small JSON file ({@code registry-snapshot.json} in the chain
 * data directory). Written whole on every change: to a temporary file, fsynced, then atomically
 * renamed over the old one, so a crash leaves either the old or the new snapshot. It is bound to a
 * chain id and registry address; a snapshot of another deployment is ignored.
 */
public record RegistrySnapshot(
    long chainId,
    String registry,
    long syncedBlock,
    String syncedBlockHash,
    long syncedAtMillis,
    List<Entry> devices) {

  /** One device, flat, as stored. */
  public record Entry(
      String address,
      String status,
      String sipIdentity,
      long registeredBlock,
      long changedBlock,
      String successor) {

    static Entry of(DeviceRecord r) {
      return new Entry(
          r.address().hex(),
          r.status().name(),
          r.sipIdentity(),
          r.registeredBlock(),
          r.changedBlock(),
          r.successor().map(DeviceAddress::hex).orElse(null));
    }

    DeviceRecord toRecord() {
      return new DeviceRecord(
          DeviceAddress.parse(address),
          DeviceStatus.valueOf(status),
          sipIdentity,
          registeredBlock,
          changedBlock,
          Optional.ofNullable(successor).map(DeviceAddress::parse));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static Optional<RegistrySnapshot> load(Path file) throws ChainException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), RegistrySnapshot.class));
    } catch (IOException e) {
      throw new ChainException(
          Reason.STORAGE, "the registry snapshot " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  void save(Path file) throws ChainException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ChainException(
          Reason.STORAGE, "cannot write the registry snapshot " + file + ": " + e.getMessage(), e);
    }
  }
}
