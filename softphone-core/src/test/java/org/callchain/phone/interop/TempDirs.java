package org.callchain.phone.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes a fixture's temp directory; a leftover file is not worth failing a test for. */
final class TempDirs {
  private TempDirs() {}

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // A socket file still held by a dying process; the OS temp cleaner takes it.
                }
              });
    } catch (IOException ignored) {
      // Same as above.
    }
  }
}
