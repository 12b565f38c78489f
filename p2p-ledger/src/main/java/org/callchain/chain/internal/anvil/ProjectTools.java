package org.callchain.chain.internal.anvil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.callchain.chain.ChainException;

/**
 * Finds the pinned npm tools of the project ({@code tools/chain/node_modules}, installed by the
 * contracts build with {@code npm ci}). The project root comes from, in order: the {@code
 * CALLCHAIN_ROOT} environment variable (the build sets it for integration tests), the {@code
 * callchain.home} system property (the launcher sets it), or the nearest directory above the
 * working directory that has {@code tools/chain/package.json}.
 *
 * <p>Anvil comes from the per-platform npm package {@code @foundry-rs/anvil-<os>-<arch>} (the
 * {@code @foundry-rs/anvil} wrapper only selects one of them), binary in its {@code bin/}.
 */
public final class ProjectTools {
  private static final String TOOLS = "tools/chain";

  private ProjectTools() {}

  public static Path projectRoot() throws ChainException {
    String env = System.getenv("CALLCHAIN_ROOT");
    if (env != null && !env.isBlank() && hasTools(Path.of(env))) {
      return Path.of(env).toAbsolutePath();
    }
    String home = System.getProperty("callchain.home");
    if (home != null && !home.isBlank() && hasTools(Path.of(home))) {
      return Path.of(home).toAbsolutePath();
    }
    Optional<Path> up = walkUp(Path.of("").toAbsolutePath());
    if (up.isPresent()) {
      return up.get();
    }
    throw new ChainException(
        ChainException.Reason.TOOL_MISSING,
        "cannot find the Callchain project tools ("
            + TOOLS
            + "/package.json): set CALLCHAIN_ROOT or callchain.home to the project directory");
  }

  /** The Anvil executable for this platform, or a clear error naming the npm package. */
  public static Path anvilBinary() throws ChainException {
    Path root = projectRoot();
    String pkg = "anvil-" + platform();
    String exe = isWindows() ? "anvil.exe" : "anvil";
    Path binary = root.resolve(TOOLS).resolve("node_modules/@foundry-rs").resolve(pkg);
    binary = binary.resolve("bin").resolve(exe);
    if (!Files.isExecutable(binary)) {
      throw new ChainException(
          ChainException.Reason.TOOL_MISSING,
          "Anvil is not installed at "
              + binary
              + ": run 'npm ci' in "
              + root.resolve(TOOLS)
              + " (npm package @foundry-rs/"
              + pkg
              + ", needs Node.js and npm) or build the contracts module");
    }
    return binary;
  }

  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String osPart = os.contains("win") ? "win32" : os.contains("mac") ? "darwin" : "linux";
    String archPart = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    return osPart + "-" + archPart;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
  }

  private static boolean hasTools(Path dir) {
    return Files.isRegularFile(dir.resolve(TOOLS).resolve("package.json"));
  }

  private static Optional<Path> walkUp(Path from) {
    for (Path dir = from; dir != null; dir = dir.getParent()) {
      if (hasTools(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
