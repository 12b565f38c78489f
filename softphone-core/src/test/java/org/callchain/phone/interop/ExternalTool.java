package org.callchain.phone.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An external program that an interop test drives, with the Debian package that provides it.
 *
 * <p>Interop tests never skip (ADR 0002): a missing program is a test failure whose message names
 * the package to install, so a broken CI image is visible instead of silently green.
 */
public enum ExternalTool {
  SIPP("sipp", "sip-tester"),
  KAMAILIO("kamailio", "kamailio"),
  KAMCMD("kamcmd", "kamailio"),
  BARESIP("baresip", "baresip-core");

  private final String executable;
  private final String debianPackage;

  ExternalTool(String executable, String debianPackage) {
    this.executable = executable;
    this.debianPackage = debianPackage;
  }

  public String debianPackage() {
    return debianPackage;
  }

  /** Where the program is, or empty when it is not installed. */
  public Optional<Path> locate() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    // Debian installs kamailio and kamcmd in sbin, which is not on every user's PATH.
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The program's path; fails the calling test with a message naming the package when the program
   * is missing.
   */
  public Path require() {
    return locate()
        .orElseThrow(
            () ->
                new AssertionError(
                    "'"
                        + executable
                        + "' is not installed: this interop test needs the Debian package '"
                        + debianPackage
                        + "' (apt-get install "
                        + debianPackage
                        + "; .ci/run installs it)"));
  }
}
