package org.callchain.chain.internal.anvil;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.callchain.chain.ChainException;
import org.callchain.chain.ChainException.Reason;
import org.callchain.chain.ContractAddresses;
import org.callchain.chain.Deployment;
import org.callchain.chain.DeviceAddress;

/**
 * Where the contracts of the local chain were deployed ({@code deployment.json} beside Anvil's
 * state file), so a restarted local chain reuses them instead of deploying again.
 */
public final class LocalDeployment {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalDeployment() {}

  public static Optional<Deployment> read(Path file) throws ChainException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
      return Optional.of(
          new Deployment(
              ((Number) m.get("chainId")).longValue(),
              new ContractAddresses(
                  DeviceAddress.parse((String) m.get("registry")),
                  DeviceAddress.parse((String) m.get("anchor"))),
              DeviceAddress.parse((String) m.get("admin")),
              ((Number) m.get("deployedInBlock")).longValue()));
    } catch (IOException | RuntimeException e) {
      throw new ChainException(Reason.STORAGE, "unreadable deployment file " + file + ": " + e, e);
    }
  }

  public static void write(Path file, Deployment d) throws ChainException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chainId", d.chainId());
    m.put("registry", d.contracts().registry().toString());
    m.put("anchor", d.contracts().anchor().toString());
    m.put("admin", d.admin().toString());
    m.put("deployedInBlock", d.deployedInBlock());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ChainException(Reason.STORAGE, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
