package org.callchain.ledger.internal.rocksdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library from one extracted copy per library version, kept in a cache
 * directory, instead of RocksDB's default of a fresh temporary file per JVM. The default leaves a
 * 15 MB file in {@code /tmp} behind every process that is killed (a node stopped with SIGKILL, an
 * OOM kill), and copies those 15 MB again at every start.
 *
 * <p>The copy is named by the library's checksum inside the jar, so a different RocksDB version
 * never loads a stale file; it is written to a temporary name and moved into place atomically, so
 * two processes starting at once never load a half-written file. The cache is {@code
 * $CALLCHAIN_CACHE}, else {@code $XDG_CACHE_HOME/callchain}, else {@code ~/.cache/callchain}. When
 * it cannot be written (a read-only home), RocksDB's own loader is used.
 */
public final class RocksNativeLibrary {
  private static final Logger LOG = LoggerFactory.getLogger(RocksNativeLibrary.class);
  private static boolean loaded;

  private RocksNativeLibrary() {}

  /** Loads the library once per JVM; later calls return at once. */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    try {
      Path dir = extract(cacheRoot().resolve("native"));
      // Marks RocksDB's loader as done, so the static blocks of Options etc. load nothing more.
      RocksDB.loadLibrary(List.of(dir.toString()));
    } catch (IOException | UncheckedIOException | UnsatisfiedLinkError e) {
      LOG.debug(
          "RocksDB library cache not usable ({}); loading from a temporary copy", e.toString());
      RocksDB.loadLibrary();
    }
    loaded = true;
  }

  /** Extracts the platform's library under {@code root} if not already there; returns its dir. */
  static Path extract(Path root) throws IOException {
    String name = Environment.getJniLibraryFileName("rocksdb");
    URL resource = RocksDB.class.getClassLoader().getResource(name);
    if (resource == null) {
      throw new IOException("no " + name + " in the RocksDB jar for this platform");
    }
    Path dir = root.resolve("rocksdbjni-" + fingerprint(resource));
    Path file = dir.resolve(name);
    if (Files.isRegularFile(file)) {
      return dir;
    }
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, name, ".partial");
    try {
      try (InputStream in = resource.openStream()) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return dir;
  }

  /**
   * Names one version of the library: the jar entry's CRC-32 and size (read from the jar's
   * directory, without inflating 15 MB), or else the SHA-256 of its bytes.
   */
  private static String fingerprint(URL resource) throws IOException {
    URLConnection connection = resource.openConnection();
    if (connection instanceof JarURLConnection jar) {
      jar.setUseCaches(false);
      try (JarFile file = jar.getJarFile()) {
        ZipEntry entry = file.getEntry(jar.getEntryName());
        if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
          return String.format("%08x-%d", entry.getCrc(), entry.getSize());
        }
      }
    }
    try (InputStream in = resource.openStream()) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  static Path cacheRoot() {
    String explicit = System.getenv("CALLCHAIN_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "callchain");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "callchain");
  }
}
